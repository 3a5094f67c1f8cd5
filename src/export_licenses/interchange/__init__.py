"""Interchange: licenses in and out of other formats — CSV and workbooks in,
JSON, CSV, iCalendar and workbooks out.

May import ``domain``, ``storage`` and ``errors``; never ``service``, ``render``
or ``cli``. Heavy readers and writers (calamine, openpyxl, icalendar) load only
on the path that uses them.
"""
