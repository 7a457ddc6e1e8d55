"""The DSLP playbook: the bookkeeping GitHub should show, done by the bot at each step.

Where each part lives:

- `model.py`: what a structural step can come to (`Attached`, `Linked`), pull requests,
  and who acted from where (`Actor`).
- `ports.py`: what the playbook needs of GitHub (`Structure`: sub-issues, linked branches,
  pull requests) and of storage (`PlaybookStore`: `branches off`, refusals already told).
- `service.py`: the steps (new linked work, a failed experiment, a Model from a success),
  each idempotent and each leaving a comment saying who did it from where.
- `commands.py`: `branches on|off`.

Its sentences are in `bot/texts/playbook.py`; the GitHub side in `adapters/github/structure.py`.
"""
