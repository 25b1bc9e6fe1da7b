"""The one exception readers raise for input they cannot use."""


class ReadError(Exception):
    """An input that cannot be read; the message is one line naming the file and the reason."""
