# Build: docker build -t access-event-bridge .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /opt/bridge
COPY --from=build /src/target/access-event-bridge.jar /opt/bridge/
COPY --from=build /src/target/lib /opt/bridge/lib
COPY config /opt/bridge/config
COPY routes /opt/bridge/routes
RUN useradd --system --home /opt/bridge bridge && mkdir -p /opt/bridge/data && chown -R bridge /opt/bridge/data
USER bridge
EXPOSE 8080
VOLUME /opt/bridge/data
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:MaxTenuringThreshold=1", "-jar", "/opt/bridge/access-event-bridge.jar"]
