# gongkai — one static binary (templates, static files, font and migrations embedded).
#   docker build -t gongkai .
#   docker run -p 8080:8080 -v gongkai-data:/app/data gongkai
# .ci/run builds the binary with the same command and starts it, because no Docker engine runs
# where this project is developed and tested: the image build itself is unverified there.

FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0
# Dependencies first, in their own layer: it is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/portal ./cmd/portal \
 && mkdir -p /out/data

# Runtime: distroless static, not debian:bookworm-slim. The binary is static (CGO_ENABLED=0,
# pure-Go SQLite), embeds its time zone data (time/tzdata) and has its own health check
# (`portal healthcheck`), so it needs no libc, shell, curl or tzdata package. The image
# still carries CA certificates (for SMTP over TLS) and /etc/passwd with the "nonroot"
# user (uid 65532), and has no package manager or shell for an attacker to use.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/portal /app/portal
# The data folder must exist and belong to the runtime user before it becomes a volume:
# a new named volume copies this ownership, and distroless has no shell to chown at run time.
COPY --from=build --chown=65532:65532 /out/data /app/data
VOLUME /app/data
# PORTAL_DB defaults to sqlite:./data/gongkai.db, i.e. /app/data; set PORTAL_DB and
# PORTAL_SECRET_KEY (or PORTAL_SECRET_KEY_FILE) for MySQL.
ENV PORTAL_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["/app/portal", "healthcheck"]
ENTRYPOINT ["/app/portal"]
CMD ["serve"]
