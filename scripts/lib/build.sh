# Shared by the scripts: builds the server (Release) when its sources changed; MSBuild decides.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
SERVER_DLL="src/EstServer.Host/bin/Release/net10.0/estserver.dll"

build_server() {
  if ! dotnet build src/EstServer.Host -c Release --nologo -v quiet -clp:ErrorsOnly >/tmp/estserver-build.$$.log 2>&1; then
    cat /tmp/estserver-build.$$.log >&2
    rm -f /tmp/estserver-build.$$.log
    echo "build failed" >&2
    exit 1
  fi
  rm -f /tmp/estserver-build.$$.log
}
