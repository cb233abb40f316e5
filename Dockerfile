# The one nbasim binary in a small image (docs/run.md). Not built in CI.
#   docker build -t nbasim .
#   docker run --rm -v nbasim-data:/data nbasim run
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/nbasim ./cmd/nbasim

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/nbasim /usr/local/bin/nbasim
WORKDIR /data
ENV NBASIM_LAKE_URL=file:///data/lake \
    NBASIM_DATABASE_SQLITE_PATH=/data/nbasim.db \
    NBASIM_CACHE_DIR=/data/cache \
    NBASIM_WORK_DIR=/data/work \
    NBASIM_RECONCILE_OUTPUT_DIR=/data/reports \
    NBASIM_RUN_HTTP_ADDR=0.0.0.0:9464
EXPOSE 9464
VOLUME ["/data"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/nbasim"]
CMD ["run"]
