FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev
COPY . .
# collectstatic under the production storage (manifest), with placeholder values that
# exist only for this build step; the real ones come from .env at run time.
RUN DJANGO_ENV=production SECRET_KEY=build-only-placeholder-not-a-secret-0123456789abcdefghijklmnop \
    DATABASE_URL=postgresql://build/build \
    REDIS_URL=redis://build ALLOWED_HOSTS=build BASE_URL=https://build EMAIL_HOST=build \
    DEFAULT_FROM_EMAIL=build@example.invalid SMS_BACKEND=twilio TWILIO_ACCOUNT_SID=build \
    TWILIO_AUTH_TOKEN=build TWILIO_FROM=build python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 app \
    && mkdir -p /app/var && chown -R app /app/var
USER app
EXPOSE 8000
# gunicorn reads WEB_CONCURRENCY: sync workers, 2 x cores + 1 (5 on the 2-core server
# the hændelseslog benchmark was measured on). See README "Web server".
ENV WEB_CONCURRENCY=5
CMD ["gunicorn", "beredskab.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "30"]
