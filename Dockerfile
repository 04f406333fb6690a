# EstServer: one image that runs the EST server.
# Untested here (no Docker engine on the build machines); see README "Container".
#   docker build -t estserver .
#   docker run -p 8443:8443 -v estserver-data:/data estserver

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/EstServer.Host/EstServer.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY config/ ./config/
# The aspnet image's non-root user "app" (uid 1654) owns the data volume: dev PKI, later state.
RUN mkdir -p /data && chown app:app /data
ENV ASPNETCORE_URLS=https://+:8443 \
    EST_DATA_DIR=/data \
    EST_CONFIG_DIR=/app/config
USER app
VOLUME ["/data"]
EXPOSE 8443
ENTRYPOINT ["dotnet", "estserver.dll"]
