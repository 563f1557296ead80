# A small Debian image with kfp-eventd. Build from the repository root:
#   docker build -t kfp-eventd:0.1.0 .
# The GitHub Action (ci/github-action) is built from this file too, with its entrypoint script.
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libcurl4-openssl-dev libssl-dev rapidjson-dev \
      libcli11-dev libyaml-cpp-dev libsqlite3-dev libsimdjson-dev zlib1g-dev libcpp-httplib-dev \
      libkainjow-mustache-dev libnats-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DKFPEVENTS_BUILD_TESTS=OFF -DKFPEVENTS_BUILD_EXAMPLES=OFF \
    && cmake --build /build --target kfp-eventd \
    && strip /build/cli/kfp-eventd

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates libcurl4 libssl3 libyaml-cpp0.7 libsqlite3-0 libsimdjson14 zlib1g \
      libcpp-httplib0.11 libnats3.4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/cli/kfp-eventd /usr/local/bin/kfp-eventd
# Only the GitHub Action runs it (with the slim image's bash); the daemon needs no shell.
COPY ci/github-action/entrypoint.sh /usr/local/share/kfp-eventd/github-action.sh
# The same numeric user as the Deployment's securityContext.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/kfp-eventd"]
