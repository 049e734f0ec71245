"""``python manage.py bench`` (``make bench``): servers, timings, in-process figures, report."""
