# One image per Herald service, built from this repository:
#   docker build --build-arg MODULE=producer-api -t herald/producer-api .
# (docker-compose.yml builds all of them.)
FROM maven:3.9-eclipse-temurin-17 AS build
# Node and npm build the browser SDK (clients/browser: npm ci from the npm registry, build.mjs), which
# notification-store's jar carries and serves at /sdk/. Without them: -Dnpm.skip, and no SDK in the store.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
 && rm -rf /var/lib/apt/lists/*
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    --mount=type=cache,target=/root/.npm \
    mvn -B -q -DskipTests package -pl ${MODULE} -am \
 && cp ${MODULE}/target/${MODULE}-*-exec.jar /app.jar

FROM eclipse-temurin:17-jre
# curl is in the base image; the health checks use it.
RUN useradd --system --uid 10001 herald
USER herald
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
