"""socialcem: Social Customer Experience Management, from raw customer voice to NPS."""

__version__ = "0.1.0"
