"""Services the faces call: the Session that holds settings, engine and jobs."""
