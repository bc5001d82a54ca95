"""The JSON API, ``/api/v1``: records of every concept, the registry's queries, exports."""
