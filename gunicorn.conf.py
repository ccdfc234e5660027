"""gunicorn's settings, read from the working directory (/app in the image).

The command line in the Dockerfile and docker-compose.yml still gives bind, timeout
and the access log; this file adds what a command line cannot say."""

# Acknowledgement links (/a/<token>/) are masked in the access log: a token in a log
# would let whoever reads the log acknowledge an escalation (issue 24, item 12).
logger_class = "beredskab.logmask.GunicornLogger"
