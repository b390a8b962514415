using Lading.Images;

namespace Lading.Bootstrap;

/// <summary>The offline-resources package's archives install.sh needs, as paths inside the package.</summary>
public sealed record SiteArchives
{
    public SiteArchives(string? nerdctlFull, string nginxImage, string registryImage)
    {
        // Only install.sh names it, quoted: a files/<host>:<port>/ folder is fine here.
        NerdctlFull = nerdctlFull is null ? null : SiteOptions.Relative(nerdctlFull, "nerdctl-full archive", colonAllowed: true);
        NginxImage = SiteOptions.Relative(nginxImage, "nginx image archive");
        RegistryImage = SiteOptions.Relative(registryImage, "registry image archive");
    }

    /// <summary>The nerdctl-full release tarball (containerd, CNI plugins, nerdctl) under files/, installed when the site runs nerdctl and has none; null when files.list names none.</summary>
    public string? NerdctlFull { get; }

    /// <summary>OCI archives that `podman load` and `nerdctl load` take, named by the images' full references.</summary>
    public string NginxImage { get; }

    public string RegistryImage { get; }
}

/// <summary>
/// install.sh of the offline-resources package. It reads site.yaml and checks every value before it changes anything;
/// merges the package's files/, repos/ and registry tree into the data folder (never overwriting); makes the site CA
/// (once, kept) and a certificate for the host name and every address with openssl; writes nginx's and the
/// registry's configuration; loads their images and runs them with podman or nerdctl, as systemd units when systemd
/// runs (directly, restarting always, when it does not, as in a container); records the site for the Kubespray
/// package. Running it again brings the site in line with site.yaml; --uninstall removes the services, not the data.
/// </summary>
public static class SiteInstallScript
{
    public static string Render(SiteOptions site, SiteArchives archives)
    {
        var nginxImage = ImageReference.Parse(site.NginxImage).ToString();
        var registryImage = ImageReference.Parse(site.RegistryImage).ToString();
        var nginx = SiteServices.NginxConfig("${listen}:${files_port}");
        var registry = SiteServices.RegistryConfig("${listen}:${registry_port}");
        return $$"""
            #!/usr/bin/env bash
            # install.sh of the offline-resources package: serves its files, OS repositories and images over HTTPS from nginx
            # and a registry, run by podman or nerdctl as site.yaml says, and records the site for the Kubespray package.
            #   bash install.sh              installs, or brings the site in line with site.yaml (edit it, run it again)
            #   bash install.sh --check      checks site.yaml and the package, changes nothing
            #   bash install.sh --uninstall  stops and removes the services; the data folder stays
            #   --config <file>              reads another site.yaml
            # Environment: PREFIX (where nerdctl-full is installed, /usr/local), SITE_WAIT_SECONDS (how long to wait for the
            # services to answer, 60; 0 does not wait), DESTDIR (a root for the files under /etc, for staged installs).
            set -euo pipefail
            umask 022
            here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
            cd "$here"

            # Fixed when the package was built.
            project={{ShellText.Quote(site.Project)}}
            nginx_image={{ShellText.Quote(nginxImage)}}
            registry_image={{ShellText.Quote(registryImage)}}
            nginx_archive={{ShellText.Quote(archives.NginxImage)}}
            registry_archive={{ShellText.Quote(archives.RegistryImage)}}
            nerdctl_full={{ShellText.Quote(archives.NerdctlFull ?? string.Empty)}}
            package_files={{ShellText.Quote(site.FilesFolder)}}
            package_repos={{ShellText.Quote(site.ReposFolder)}}
            package_images={{ShellText.Quote($"{site.ImagesFolder}")}}

            site_record="${DESTDIR:-}{{SiteFiles.SiteRecord}}"
            unit_dir="${DESTDIR:-}/etc/systemd/system"
            prefix="${PREFIX:-/usr/local}"
            wait_seconds="${SITE_WAIT_SECONDS:-60}"

            say() { printf '%s\n' "$*"; }
            fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

            action=install
            config="$here/{{SiteFiles.SiteConfig}}"
            while [ $# -gt 0 ]; do
              case "$1" in
                --check) action=check ;;
                --uninstall) action=uninstall ;;
                --config) [ $# -ge 2 ] || fail "--config needs a file"; config="$2"; shift ;;
                -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
                *) fail "unknown option '$1' (--check, --uninstall, --config <site.yaml>)" ;;
              esac
              shift
            done

            # site.yaml: 'key: value' lines; addresses as [a, b] or as '- a' lines under it.
            hostname='' bind_address='0.0.0.0' files_port='{{SiteOptions.DefaultFilesPort}}' registry_port='{{SiteOptions.DefaultRegistryPort}}'
            data_dir='{{SiteOptions.DefaultDataDir}}' runtime='auto'
            addresses=()
            problems=()

            unquote() {
              local value="$1"
              value="${value#"${value%%[![:space:]]*}"}"
              value="${value%"${value##*[![:space:]]}"}"
              if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
                value="${BASH_REMATCH[1]}"
              fi
              printf '%s' "$value"
            }

            read_config() {
              [ -f "$config" ] || fail "no site configuration at $config"
              local line number=0 key value list='' item
              local -a items
              local -A seen=()
              while IFS= read -r line || [ -n "$line" ]; do
                number=$((number + 1))
                # A comment starts at a '#' that begins the line or follows white space.
                line="$(sed -E 's/(^|[[:space:]])#.*$//' <<<"${line%$'\r'}")"
                [[ "$line" =~ ^[[:space:]]*$ ]] && continue
                if [[ "$line" =~ ^[[:space:]]*-[[:space:]]+(.*)$ ]]; then
                  if [ "$list" = addresses ]; then
                    addresses+=("$(unquote "${BASH_REMATCH[1]}")")
                  else
                    problems+=("$config:$number: a list item belongs under 'addresses:'")
                  fi
                  continue
                fi
                list=''
                if [[ ! "$line" =~ ^([A-Za-z]+):([[:space:]]+(.*))?$ ]]; then
                  problems+=("$config:$number: expected 'key: value'")
                  continue
                fi
                key="${BASH_REMATCH[1]}"
                value="$(unquote "${BASH_REMATCH[3]}")"
                if [ -n "${seen[$key]:-}" ]; then
                  problems+=("$key: given twice ($config lines ${seen[$key]} and $number)")
                fi
                seen[$key]=$number
                case "$key" in
                  hostname) hostname="$value" ;;
                  addresses)
                    if [ -z "$value" ]; then
                      list=addresses
                    elif [[ "$value" =~ ^\[(.*)\]$ ]]; then
                      IFS=',' read -r -a items <<<"${BASH_REMATCH[1]}"
                      for item in ${items[@]+"${items[@]}"}; do
                        item="$(unquote "$item")"
                        [ -z "$item" ] || addresses+=("$item")
                      done
                    else
                      problems+=("addresses: a list is expected, like [10.0.0.5, 10.0.0.6]")
                    fi
                    ;;
                  bindAddress) bind_address="$value" ;;
                  filesPort) files_port="$value" ;;
                  registryPort) registry_port="$value" ;;
                  dataDir) data_dir="$value" ;;
                  runtime) runtime="$value" ;;
                  *) problems+=("$key: not a site.yaml key ({{string.Join(", ", SiteOptions.Keys)}})") ;;
                esac
              done <"$config"
            }

            is_ipv4() {
              local part
              [[ "$1" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
              for part in ${1//./ }; do
                [ "$((10#$part))" -le 255 ] || return 1
              done
            }

            is_ip() { is_ipv4 "$1" || [[ "$1" == *:* && "$1" =~ ^[0-9A-Fa-f:.]{2,45}$ ]]; }

            is_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$((10#$1))" -ge 1 ] && [ "$((10#$1))" -le 65535 ]; }

            check_config() {
              local address
              if [ -z "$hostname" ]; then
                problems+=("hostname: missing; it is the DNS name nodes reach the site by")
              elif [ "${#hostname}" -gt 253 ] || ! [[ "$hostname" =~ ^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$ ]]; then
                problems+=("hostname: '$hostname' is not a DNS name")
              fi
              for address in ${addresses[@]+"${addresses[@]}"}; do
                is_ip "$address" || problems+=("addresses: '$address' is not an IP address")
              done
              is_ip "$bind_address" || problems+=("bindAddress: '$bind_address' is not an IP address")
              is_port "$files_port" || problems+=("filesPort: '$files_port' is not a TCP port (1-65535)")
              is_port "$registry_port" || problems+=("registryPort: '$registry_port' is not a TCP port (1-65535)")
              if is_port "$files_port" && is_port "$registry_port" && [ "$((10#$files_port))" -eq "$((10#$registry_port))" ]; then
                problems+=("registryPort: nginx and the registry cannot both listen on $files_port")
              fi
              if ! [[ "$data_dir" =~ ^(/[A-Za-z0-9._-]+)+$ ]] || [[ "$data_dir/" == */../* || "$data_dir/" == */./* ]]; then
                problems+=("dataDir: '$data_dir' is not an absolute folder of letters, digits, '.', '-', '_' and '/'")
              fi
              case "$runtime" in
                auto | podman | nerdctl) ;;
                *) problems+=("runtime: '$runtime' is not auto, podman or nerdctl") ;;
              esac
              if [ "${#problems[@]}" -gt 0 ]; then
                printf '%s: %d problem(s), nothing was changed:\n' "$config" "${#problems[@]}" >&2
                printf '  %s\n' "${problems[@]}" >&2
                exit 2
              fi
              files_port="$((10#$files_port))"
              registry_port="$((10#$registry_port))"
              registry="$hostname:$registry_port"
              files_url="https://$hostname:$files_port/files"
              repos_url="https://$hostname:$files_port/repos"
              tls_dir="$data_dir/{{SiteFiles.DataTls}}"
              if [[ "$bind_address" == *:* ]]; then listen="[$bind_address]"; else listen="$bind_address"; fi
              case "$bind_address" in
                0.0.0.0) published='' probe=127.0.0.1 ;;
                ::) published='' probe=::1 ;;
                *) published="$listen:" probe="$bind_address" ;;
              esac
            }

            # systemd runs the services when it is the init system; in a container it is not, and they are started directly.
            systemd_running() { command -v systemctl >/dev/null 2>&1 && systemctl show-environment >/dev/null 2>&1; }

            resolve_runtime() {
              local nerdctl_bin=''
              install_nerdctl=''
              if command -v nerdctl >/dev/null 2>&1; then
                nerdctl_bin="$(command -v nerdctl)"
              elif [ -x "$prefix/bin/nerdctl" ]; then
                nerdctl_bin="$prefix/bin/nerdctl"
              fi
              if [ "$runtime" = auto ]; then
                if command -v podman >/dev/null 2>&1; then runtime=podman; else runtime=nerdctl; fi
              fi
              if [ "$runtime" = podman ]; then
                command -v podman >/dev/null 2>&1 || fail "runtime: podman is not installed on this host"
                rt="$(command -v podman)"
              elif [ -n "$nerdctl_bin" ]; then
                rt="$nerdctl_bin"
              elif [ -n "$nerdctl_full" ]; then
                rt="$prefix/bin/nerdctl"
                install_nerdctl=1
              else
                fail "runtime: neither podman nor nerdctl is installed, and this package carries no nerdctl-full to install"
              fi
            }

            check_package() {
              local missing=() file
              for file in "$nginx_archive" "$registry_archive" ${install_nerdctl:+"$nerdctl_full"}; do
                [ -f "$file" ] || missing+=("$file")
              done
              if [ "${#missing[@]}" -gt 0 ]; then
                printf 'missing from the package: %s\n' "${missing[@]}" >&2
                exit 1
              fi
              command -v openssl >/dev/null 2>&1 || fail "openssl is not installed: the site's certificate is made with it"
            }

            {{SiteMerge.Functions().TrimEnd('\n')}}

            merge_package() {
              merge_check "$package_files" "$data_dir/{{SiteFiles.DataFiles}}"
              merge_check "$package_repos" "$data_dir/{{SiteFiles.DataRepos}}"
              merge_check "$package_images" "$data_dir/{{SiteFiles.DataRegistry}}"
              if [ "${#conflicts[@]}" -gt 0 ]; then
                printf 'install.sh: %d file(s) of the site differ from this package; nothing was merged:\n' "${#conflicts[@]}" >&2
                printf '  %s\n' "${conflicts[@]}" >&2
                exit 1
              fi
              merge_add "$package_files" "$data_dir/{{SiteFiles.DataFiles}}"
              merge_add "$package_repos" "$data_dir/{{SiteFiles.DataRepos}}"
              merge_add "$package_images" "$data_dir/{{SiteFiles.DataRegistry}}"
              say "Data: $added file(s) added to $data_dir"
            }

            write_file() {
              cat >"$1.partial"
              chmod "$2" "$1.partial"
              mv -f "$1.partial" "$1"
            }

            make_tls() {
              local names="DNS:$hostname" address config
              for address in ${addresses[@]+"${addresses[@]}"}; do names="$names,IP:$address"; done
              mkdir -p "$tls_dir"
              if [ -s "$tls_dir/server.pem" ] && [ ! -e "$tls_dir/server.names" ]; then
                # A certificate the site put there itself is kept, once it is checked.
                openssl x509 -in "$tls_dir/server.pem" -noout -checkhost "$hostname" 2>/dev/null | grep -q 'does match' \
                  || fail "$tls_dir/server.pem does not name $hostname: clients would refuse the site"
                [ "$(openssl x509 -in "$tls_dir/server.pem" -noout -pubkey)" = "$(openssl pkey -in "$tls_dir/server-key.pem" -pubout 2>/dev/null)" ] \
                  || fail "$tls_dir/server-key.pem is not the key of $tls_dir/server.pem"
                [ -s "$tls_dir/ca.pem" ] || fail "$tls_dir/ca.pem is missing: put there the CA that issued server.pem, for the nodes to trust"
                say "TLS: keeping the site's own certificate $tls_dir/server.pem"
                return
              fi
              config="$(mktemp)"
              printf '%s\n' '[req]' 'distinguished_name = dn' '[dn]' \
                '[ca]' 'basicConstraints = critical,CA:TRUE,pathlen:0' 'keyUsage = critical,keyCertSign,cRLSign' 'subjectKeyIdentifier = hash' \
                '[server]' "subjectAltName = $names" 'basicConstraints = critical,CA:FALSE' 'keyUsage = critical,digitalSignature,keyEncipherment' \
                'extendedKeyUsage = serverAuth' 'subjectKeyIdentifier = hash' 'authorityKeyIdentifier = keyid' >"$config"
              # The CA is made once and kept: the nodes trust it, so a new one would cut them off.
              if [ ! -s "$tls_dir/ca.pem" ] || [ ! -s "$tls_dir/ca-key.pem" ]; then
                say "TLS: making the site CA $tls_dir/ca.pem"
                openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls_dir/ca-key.pem.partial" 2>/dev/null
                chmod 600 "$tls_dir/ca-key.pem.partial"
                openssl req -new -x509 -sha256 -days 3660 -key "$tls_dir/ca-key.pem.partial" -subj "/O=$project/CN=$hostname CA" \
                  -config "$config" -extensions ca -out "$tls_dir/ca.pem.partial"
                mv -f "$tls_dir/ca-key.pem.partial" "$tls_dir/ca-key.pem"
                mv -f "$tls_dir/ca.pem.partial" "$tls_dir/ca.pem"
                rm -f "$tls_dir/server.names"
              fi
              if [ -s "$tls_dir/server.pem" ] && [ "$(cat "$tls_dir/server.names" 2>/dev/null)" = "$names" ] \
                && openssl verify -CAfile "$tls_dir/ca.pem" "$tls_dir/server.pem" >/dev/null 2>&1; then
                rm -f "$config"
                return
              fi
              say "TLS: making the site certificate for $names"
              openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls_dir/server-key.pem.partial" 2>/dev/null
              chmod 600 "$tls_dir/server-key.pem.partial"
              openssl req -new -sha256 -key "$tls_dir/server-key.pem.partial" -subj "/O=$project/CN=$hostname" -config "$config" -out "$tls_dir/server.csr"
              openssl x509 -req -sha256 -days 3650 -in "$tls_dir/server.csr" -CA "$tls_dir/ca.pem" -CAkey "$tls_dir/ca-key.pem" \
                -set_serial "0x$(openssl rand -hex 16)" -extfile "$config" -extensions server -out "$tls_dir/server.pem.partial" 2>/dev/null
              rm -f "$tls_dir/server.csr" "$config"
              mv -f "$tls_dir/server-key.pem.partial" "$tls_dir/server-key.pem"
              mv -f "$tls_dir/server.pem.partial" "$tls_dir/server.pem"
              printf '%s\n' "$names" >"$tls_dir/server.names"
            }

            write_configs() {
              mkdir -p "$data_dir/{{SiteFiles.DataConfig}}"
              write_file "$data_dir/{{SiteFiles.DataConfig}}/nginx.conf" 644 <<EOF
            {{nginx.TrimEnd('\n')}}
            EOF
              write_file "$data_dir/{{SiteFiles.DataConfig}}/registry.yml" 644 <<EOF
            {{registry.TrimEnd('\n')}}
            EOF
            }

            load_images() {
              local archive image output
              for archive in "$nginx_archive" "$registry_archive"; do
                if [ "$archive" = "$nginx_archive" ]; then image="$nginx_image"; else image="$registry_image"; fi
                if ! output="$("$rt" load -i "$archive" 2>&1)"; then
                  printf '%s\n' "$output" >&2
                  fail "$rt could not load $archive"
                fi
                "$rt" image inspect "$image" >/dev/null 2>&1 || fail "$archive did not load as $image"
              done
            }

            # A service's arguments after 'run' and its options, in $args: the same for the systemd unit and a direct start.
            service_args() {
              local ro=ro
              # podman relabels the mounts for SELinux; nerdctl takes no such option.
              [ "$runtime" != podman ] || ro=ro,z
              if [ "$1" = files ]; then
                args=(--name "$project-files" -p "$published$files_port:$files_port"
                  -v "$data_dir/{{SiteFiles.DataFiles}}:{{SiteServices.NginxRoot}}/files:$ro" -v "$data_dir/{{SiteFiles.DataRepos}}:{{SiteServices.NginxRoot}}/repos:$ro"
                  -v "$data_dir/{{SiteFiles.DataConfig}}/nginx.conf:{{SiteServices.NginxConfigInContainer}}:$ro"
                  -v "$tls_dir/server.pem:{{SiteServices.NginxTlsInContainer}}/server.pem:$ro" -v "$tls_dir/server-key.pem:{{SiteServices.NginxTlsInContainer}}/server-key.pem:$ro"
                  "$nginx_image")
              else
                args=(--name "$project-registry" -p "$published$registry_port:$registry_port"
                  -v "$data_dir/{{SiteFiles.DataRegistry}}:{{SiteServices.RegistryRoot}}:$ro" -v "$data_dir/{{SiteFiles.DataConfig}}/registry.yml:{{SiteServices.RegistryConfigInContainer}}:$ro"
                  -v "$tls_dir/server.pem:{{SiteServices.RegistryTlsInContainer}}/server.pem:$ro" -v "$tls_dir/server-key.pem:{{SiteServices.RegistryTlsInContainer}}/server-key.pem:$ro"
                  "$registry_image")
              fi
            }

            write_unit() {
              local requires='' environment=''
              service_args "$1"
              [ "$runtime" != nerdctl ] || requires=$'\nRequires=containerd.service\nAfter=containerd.service'
              [ -z "${CNI_PATH:-}" ] || environment=$'\n'"Environment=CNI_PATH=$CNI_PATH"
              mkdir -p "$unit_dir"
              write_file "$unit_dir/$project-$1.service" 644 <<EOF
            # Written by install.sh of $project; install.sh --uninstall removes it.
            [Unit]
            Description=$2
            Wants=network-online.target
            After=network-online.target$requires

            [Service]$environment
            ExecStartPre=-$rt rm -f $project-$1
            ExecStart=$rt run --rm --pull=never ${args[*]}
            ExecStop=$rt stop $project-$1
            Restart=always
            RestartSec=5
            TimeoutStartSec=300

            [Install]
            WantedBy=multi-user.target
            EOF
            }

            start_services() {
              local service
              write_unit files "$project files: nginx serving files and OS repositories over HTTPS"
              write_unit registry "$project registry: the site registry, read-only over HTTPS"
              if systemd_running; then
                systemctl daemon-reload
                for service in files registry; do
                  systemctl enable "$project-$service.service"
                  systemctl restart "$project-$service.service"
                done
              else
                say "systemd is not running here: the containers are started directly, restarting always; the units in $unit_dir take over on a host that runs systemd."
                for service in files registry; do
                  "$rt" rm -f "$project-$service" >/dev/null 2>&1 || true
                  service_args "$service"
                  "$rt" run -d --restart=always --pull=never "${args[@]}" >/dev/null
                done
              fi
            }

            wait_for() {
              local second
              [ "$wait_seconds" -gt 0 ] || return 0
              for ((second = 0; second < wait_seconds; second++)); do
                if (exec 3<>"/dev/tcp/$probe/$1") 2>/dev/null; then
                  return 0
                fi
                sleep 1
              done
              printf 'install.sh: %s does not answer on port %s after %ss; its last lines:\n' "$project-$2" "$1" "$wait_seconds" >&2
              "$rt" logs --tail 20 "$project-$2" >&2 || true
              exit 1
            }

            record_site() {
              local folder
              mkdir -p "$(dirname "$site_record")"
              write_file "$site_record" 644 <<EOF
            # The offline-resources site of this host, written by install.sh; the Kubespray package's load.sh reads it.
            SITE_HOSTNAME='$hostname'
            SITE_ADDRESSES='${addresses[*]:-}'
            SITE_REGISTRY='$registry'
            SITE_FILES_URL='$files_url'
            SITE_REPOS_URL='$repos_url'
            SITE_DATA_DIR='$data_dir'
            SITE_CA='$tls_dir/ca.pem'
            SITE_RUNTIME='$runtime'
            EOF
              # This host's runtimes pull from the site registry (the Kubespray image) trusting the site CA.
              for folder in "${DESTDIR:-}/etc/containers/certs.d/$registry" "${DESTDIR:-}/etc/containerd/certs.d/$registry"; do
                mkdir -p "$folder"
                cp "$tls_dir/ca.pem" "$folder/ca.crt"
              done
              if ! getent hosts "$hostname" >/dev/null 2>&1 && [ "${#addresses[@]}" -gt 0 ]; then
                printf '%s %s\n' "${addresses[0]}" "$hostname" >>"${DESTDIR:-}/etc/hosts"
              fi
            }

            uninstall() {
              local service systemd=''
              if [ -r "$site_record" ]; then
                runtime="$(sed -n "s/^SITE_RUNTIME='\(.*\)'$/\1/p" "$site_record")"
              fi
              resolve_runtime
              if systemd_running; then systemd=1; fi
              for service in files registry; do
                [ -z "$systemd" ] || systemctl disable --now "$project-$service.service" || true
                "$rt" rm -f "$project-$service" >/dev/null 2>&1 || true
                rm -f "$unit_dir/$project-$service.service"
              done
              [ -z "$systemd" ] || systemctl daemon-reload
              rm -f "$site_record"
              say "Stopped and removed $project-files and $project-registry; the data stays in $data_dir."
            }

            read_config
            check_config
            if [ "$action" = check ]; then
              resolve_runtime
              check_package
              say "$config is valid: $hostname (${addresses[*]:-no addresses}) would serve $files_url, $repos_url and $registry from $data_dir with $runtime; nothing was changed."
              exit 0
            fi
            if [ "$(id -u)" -ne 0 ]; then
              fail "install.sh must run as root: it starts the site's services and writes $data_dir and $site_record"
            fi
            if [ "$action" = uninstall ]; then
              uninstall
              exit 0
            fi

            resolve_runtime
            check_package
            if [ -n "$install_nerdctl" ]; then
              say "Installing nerdctl-full into $prefix"
              mkdir -p "$prefix"
              tar -xzf "$nerdctl_full" -C "$prefix"
              if systemd_running; then
                systemctl daemon-reload
                systemctl enable --now containerd
              fi
            fi
            # nerdctl looks for the CNI plugins nerdctl-full ships under its own prefix.
            if [ "$runtime" = nerdctl ] && [ -d "$prefix/libexec/cni" ]; then
              export CNI_PATH="$prefix/libexec/cni"
            fi
            merge_package
            make_tls
            write_configs
            say "Loading the nginx and registry images"
            load_images
            start_services
            wait_for "$files_port" files
            wait_for "$registry_port" registry
            record_site
            cat <<EOF
            The offline resources are served:
              files:    $files_url/
              repos:    $repos_url/
              registry: $registry
            Nodes trust the site with its CA $tls_dir/ca.pem (the Kubespray package's prepare-nodes.yml installs it).
            EOF
            """ + "\n";
    }
}
