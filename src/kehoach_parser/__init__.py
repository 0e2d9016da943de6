"""kehoach_parser."""
