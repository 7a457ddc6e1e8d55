"""Who is who: roles, GitHub logins and channel subscriptions (`role`, `link`, `subscribe`)."""
