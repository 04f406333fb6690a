# Shared by the scripts: builds what they run (Release) when its sources changed; MSBuild decides.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
SERVER_DLL="src/EstServer.Host/bin/Release/net10.0/estserver.dll"
LOADTEST_DLL="test/EstServer.LoadTest/bin/Release/net10.0/estserver-loadtest.dll"

# Builds one project quietly; on failure prints the build output and exits.
build_project() { # project-directory
  if ! dotnet build "$1" -c Release --nologo -v quiet -clp:ErrorsOnly >/tmp/estserver-build.$$.log 2>&1; then
    cat /tmp/estserver-build.$$.log >&2
    rm -f /tmp/estserver-build.$$.log
    echo "build of $1 failed" >&2
    exit 1
  fi
  rm -f /tmp/estserver-build.$$.log
}

build_server() { build_project src/EstServer.Host; }

# The estserver-loadtest command (test/EstServer.LoadTest over the EstServer.LoadGen library).
build_loadtest() { build_project test/EstServer.LoadTest; }
