# syntax=docker/dockerfile:1
#
# gpu-slicer: one image, two servers (`webhook`, `extender`), picked by the first argument.
#   docker build -t ghcr.io/gpu-slicer/gpu-slicer:0.1.0 .
#
# Build stage: the fat jar cli/target/gpu-slicer.jar. The whole source tree is copied
# (see .dockerignore) because Maven reads every module's pom even with -pl.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl cli -am package \
 && cp cli/target/gpu-slicer.jar /gpu-slicer.jar

# Runtime stage: distroless Java 17 (Temurin) on Debian 13, no shell, user nonroot (65532).
# Distroless stopped building its Debian 12 Java images in 2026 (java17-debian12 gets no more
# security rebuilds); the debian13 line is the maintained one.
# Runs with a read-only root filesystem; the JVM's scratch space is /tmp (an emptyDir
# in the Deployments).
FROM gcr.io/distroless/java17-debian13:nonroot
LABEL org.opencontainers.image.title="gpu-slicer" \
      org.opencontainers.image.description="Kubernetes admission webhook + scheduler extender placing GPU pods on MIG or time-sliced pools" \
      org.opencontainers.image.source="https://github.com/gpu-slicer/gpu-slicer" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build --chown=65532:65532 /gpu-slicer.jar /app/gpu-slicer.jar
USER 65532:65532
# webhook: 8443 (HTTPS) + 9090 (metrics); extender: 8888
EXPOSE 8443 9090 8888
# -XX:-OmitStackTraceInFastThrow: a failure that repeats keeps its stack trace in the log (the JIT drops it otherwise).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:-OmitStackTraceInFastThrow", "-jar", "/app/gpu-slicer.jar"]
CMD ["--help"]
