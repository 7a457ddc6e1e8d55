# A small non-root image that runs the bot's server.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 dslp && mkdir /data && chown dslp /data
COPY --from=build /install /usr/local
USER dslp
WORKDIR /home/dslp
ENV DSLP_DATA_DIR=/data PORT=3000 PYTHONUNBUFFERED=1
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,os; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT','3000')}/healthz\", timeout=2)"
CMD ["dslp-bot", "serve"]
