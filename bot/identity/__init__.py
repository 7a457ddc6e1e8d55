"""Verified people: a chat member's GitHub login, proven by GitHub's own sign-in or an admin."""
