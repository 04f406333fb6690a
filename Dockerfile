# EstServer: one image for both roles.
#   docker build -t estserver .
#   docker run -p 8443:8443 -v estserver-data:/data estserver                 # EST host (dev PKI on first start)
#   docker run -e Est__Redis=redis:6379 ... estserver signer                  # a signer worker
# See config/docker-compose.yml for host + Redis (AOF) + two workers.
# NOT built or run on the development machines (they have no Docker engine): review before use.

# Pinned to the SDK and runtime this repository is built and tested with (global.json: 10.0 SDK,
# rolling forward within the major version).
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/EstServer.Host/EstServer.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY config/ ./config/
# The image's non-root user "app" (uid 1654) owns the data volume: dev PKI, queue secret.
RUN mkdir -p /data && chown app:app /data
ENV ASPNETCORE_URLS=https://+:8443 \
    EST_DATA_DIR=/data \
    EST_CONFIG_DIR=/app/config \
    DOTNET_gcServer=0
USER app
VOLUME ["/data"]
EXPOSE 8443 9464
# The host answers /healthz; a worker's compose service overrides this with its metrics URL.
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=3 \
    CMD ["dotnet", "/app/estserver.dll", "probe", "https://localhost:8443/healthz"]
ENTRYPOINT ["dotnet", "/app/estserver.dll"]
