"""The Teams app icons the project owns (colour 192x192, outline 32x32 white on transparent)."""
