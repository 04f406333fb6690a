# Shared by the scripts that start their own servers.
# A free loopback port below the kernel's ephemeral range (ip_local_port_range starts at 32768): load
# runs open tens of thousands of connections, and a listener cannot bind a port a live connection holds.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
