"""Linked work: the Data, Explore, Experiment and Model issues opened from an Ask, and outcomes.

Where each part lives (a newcomer's map):

- `commands.py`: `data`, `explore`, `experiment`, `model` in chat; checks the named issue first.
- `model.py`: `LinkedKind` and the draft context keys every kind shares; `kinds.py`: the table
  of the four kinds (and the flow table the composition root merges with the Ask's).
- `filing.py`: after a linked issue is filed: its branch, its line in the Ask, its record.
- `records.py`: what the bot remembers about each linked issue (`storage/linked.py` keeps it).
- `bodies.py`: editing Ask bodies people edit too (re-read, change, write, retry once).
- `render.py`: what the four issue bodies share; the bot-managed link lists inside an Ask
  body are `bot/render/link_lists.py`.
- `outcomes.py`, `outcome_replies.py`: recording how an experiment ended.

Each kind's steps are in `bot/flows/<kind>.py`, its body in `bot/render/<kind>.py`, its
sentences in `bot/texts/<kind>.py` (the commands' in `bot/texts/linked.py`); the Slack modals
are in `adapters/slack/linked.py`.
"""
