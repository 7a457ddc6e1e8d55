"""GitHub decides who may do what: each command declares what it needs, one gate checks it."""
