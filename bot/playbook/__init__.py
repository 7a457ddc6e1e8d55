"""The DSLP playbook: the bookkeeping GitHub should show, done by the bot at each step.

Where each part lives:

- `model.py`: what a structural step can come to (`Attached`, `Linked`), pull requests,
  and who acted from where (`Actor`).
- `ports.py`: what the playbook needs of GitHub (`Structure`: sub-issues, linked branches,
  pull requests) and of storage (`PlaybookStore`: `branches off`, refusals already told).
- `service.py`: the steps (new linked work, a failed experiment, a Model from a success),
  each idempotent and each leaving a comment saying who did it from where.
- `commands.py`: `branches on|off`, `project owner/number|off`.
- `follow.py`: what runs after each recorded event (hand-opened sub-issues; the Project field
  moved to the issue's new phase).
- `phases.py`: the Project field's values and the DSLP's transitions, both ways.
- `edits.py`: a person's edit of the Project field in GitHub, read as the label of that name.

Its sentences are in `bot/texts/playbook.py`; the GitHub side in `adapters/github/structure.py`.
"""
