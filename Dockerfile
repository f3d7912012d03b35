# The mall's image: one build serves web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 mall
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=mall:mall . .
RUN DEBUG=false SECRET_KEY=build-only DATABASE_URL=postgres://unused/unused python manage.py collectstatic --noinput
USER mall
EXPOSE 8000
CMD ["gunicorn", "mall.wsgi:application", "--config", "gunicorn.conf.py", "--access-logfile", "-"]
