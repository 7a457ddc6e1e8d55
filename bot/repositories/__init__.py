"""Which repositories the bot serves, and a tracker for each (`Trackers`)."""
