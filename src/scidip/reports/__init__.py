"""Reports built from the registry alone: the annual chapter, the country brief, reconciliation.

Each report is built in two steps: a *context* (typed dataclasses, in ``context/`` and
``reconcile.py``) is computed from the registry's services, then ``render.py`` renders it with
Jinja2 templates as Markdown or HTML, and HTML as PDF with WeasyPrint. Templates hold no queries.
"""
