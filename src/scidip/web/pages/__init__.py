"""Server-rendered pages (Jinja2, htmx): login, dashboard, country page, record editing, audit."""
