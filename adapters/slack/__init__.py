"""The Slack adapter: Bolt (async) on the shared aiohttp server; a thin translation layer."""
