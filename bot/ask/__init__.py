"""The `ask` and `status` commands: framing an Ask in chat and seeing where it stands."""
