"""Index and query subcommands of `ragex` (filled in with the index)."""

COMMANDS: dict = {}


def add_commands(sub, add_config_flags) -> None:
    return None
