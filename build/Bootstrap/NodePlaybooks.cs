namespace Lading.Bootstrap;

/// <summary>
/// The Kubespray package's own playbooks, run by its install.sh in the Kubespray image with the cluster's inventory
/// and the site's values: prepare-nodes.yml before Kubespray (the site's name, its CA, the OS repositories, containerd's
/// mirrors), record-system-info.yml after it (configmap system-info, for the platform's installs).
/// </summary>
public static class NodePlaybooks
{
    public const string PrepareNodes = "prepare-nodes.yml";

    public const string RecordSystemInfo = "record-system-info.yml";

    public const string HostsTomlTemplate = "templates/hosts.toml.j2";

    /// <summary>The configmap record-system-info.yml writes, in kube-system.</summary>
    public const string SystemInfoConfigMap = "system-info";

    public static string PrepareNodesPlaybook() => """
        ---
        # prepare-nodes.yml of the Kubespray package. install.sh runs it before Kubespray's own playbook, with the same
        # inventory and -e @/site/offline-site.yml (the site's values, written by load.sh). On every node it makes the
        # site's name resolve, trusts the site CA, points apt or yum at the site's OS repository for the node's
        # distribution and architecture (setting the other sources aside: an offline node cannot reach them), and writes
        # containerd's registry mirrors (containerd_registries_mirrors of the cluster config) with the CA.
        # Variables: offline_site_hosts_entry (true), offline_site_only_repos (true), containerd_cfg_dir (/etc/containerd).
        - name: Prepare the nodes for the offline-resources site
          hosts: k8s_cluster:etcd
          gather_facts: true
          gather_subset: [min]
          become: true
          tasks:
            - name: Check that the site's values and the cluster config are given
              assert:
                quiet: true
                that:
                  - offline_site_registry is defined
                  - containerd_registries_mirrors is defined
                fail_msg: >-
                  Run this playbook through install.sh of the Kubespray package (it passes site/offline-site.yml), with
                  an inventory holding group_vars/all/offline.yml of the package.

            - name: Find the node's OS repository on the site
              set_fact:
                offline_site_node_repo: "{{ (candidates | select('in', offline_site_os_repos) | list + [''])[0] }}"
              vars:
                distro: "{{ {'redhat': 'rhel'}.get(ansible_distribution | lower, ansible_distribution | lower) }}"
                arch: "{{ {'x86_64': 'amd64', 'aarch64': 'arm64'}.get(ansible_architecture, ansible_architecture) }}"
                candidates:
                  - "{{ distro }}-{{ ansible_distribution_version }}/{{ arch }}"
                  - "{{ distro }}-{{ ansible_distribution_major_version }}/{{ arch }}"

            - name: Stop when the site holds OS repositories, but none for this node
              fail:
                msg: >-
                  The site has no OS repository for {{ ansible_distribution }} {{ ansible_distribution_version }}
                  ({{ ansible_architecture }}); it holds {{ offline_site_os_repos | join(', ') }}.
              when: offline_site_node_repo == '' and offline_site_os_repos | length > 0

            - name: Make the site's name resolve
              lineinfile:
                path: /etc/hosts
                regexp: '# offline-resources site$'
                line: "{{ offline_site_addresses[0] }} {{ offline_site_hostname }} # offline-resources site"
              when: offline_site_hosts_entry | default(true) | bool and offline_site_addresses | length > 0

            - name: Make the folder of the site CA
              file:
                path: "{{ offline_site_node_ca | dirname }}"
                state: directory
                mode: "0755"

            - name: Put the site CA where the registry mirrors name it
              copy:
                src: "{{ offline_site_ca_file | default(playbook_dir ~ '/ca.pem') }}"
                dest: "{{ offline_site_node_ca }}"
                mode: "0644"

            - name: Trust the site CA (apt systems)
              copy:
                src: "{{ offline_site_ca_file | default(playbook_dir ~ '/ca.pem') }}"
                dest: /usr/local/share/ca-certificates/offline-resources-ca.crt
                mode: "0644"
              register: offline_site_ca_apt
              when: ansible_pkg_mgr == 'apt'

            - name: Update the trusted certificates (apt systems)
              command: update-ca-certificates
              when: offline_site_ca_apt is changed

            - name: Trust the site CA (yum and dnf systems)
              copy:
                src: "{{ offline_site_ca_file | default(playbook_dir ~ '/ca.pem') }}"
                dest: /etc/pki/ca-trust/source/anchors/offline-resources-ca.pem
                mode: "0644"
              register: offline_site_ca_rpm
              when: ansible_pkg_mgr in ['yum', 'dnf']

            - name: Update the trusted certificates (yum and dnf systems)
              command: update-ca-trust extract
              when: offline_site_ca_rpm is changed

            - name: Point apt at the site's repository
              copy:
                dest: /etc/apt/sources.list.d/offline-resources.list
                content: "deb [trusted=yes] {{ offline_site_repos_url }}/{{ offline_site_node_repo }} ./\n"
                mode: "0644"
              when: ansible_pkg_mgr == 'apt' and offline_site_node_repo != ''

            - name: Point yum and dnf at the site's repository
              copy:
                dest: /etc/yum.repos.d/offline-resources.repo
                content: |
                  [offline-resources]
                  name=offline-resources {{ offline_site_node_repo }}
                  baseurl={{ offline_site_repos_url }}/{{ offline_site_node_repo }}
                  enabled=1
                  gpgcheck=0
                  sslcacert={{ offline_site_node_ca }}
                mode: "0644"
              when: ansible_pkg_mgr in ['yum', 'dnf'] and offline_site_node_repo != ''

            - name: Find the node's other package sources
              find:
                paths: "{{ ['/etc/apt', '/etc/apt/sources.list.d'] if ansible_pkg_mgr == 'apt' else ['/etc/yum.repos.d'] }}"
                patterns: "{{ ['sources.list', '*.list', '*.sources'] if ansible_pkg_mgr == 'apt' else ['*.repo'] }}"
              register: offline_site_other_sources
              when: offline_site_only_repos | default(true) | bool and offline_site_node_repo != ''

            - name: Set the other package sources aside
              command: mv {{ item | quote }} {{ (item ~ '.offline-disabled') | quote }}
              loop: "{{ offline_site_other_sources.files | default([]) | map(attribute='path') | reject('search', '/offline-resources[.](list|repo)$') | list }}"

            - name: Make containerd's folder for each registry mirror
              file:
                path: "{{ containerd_cfg_dir | default('/etc/containerd') }}/certs.d/{{ item.prefix }}"
                state: directory
                mode: "0755"
              loop: "{{ containerd_registries_mirrors }}"

            - name: Write containerd's registry mirrors
              template:
                src: templates/hosts.toml.j2
                dest: "{{ containerd_cfg_dir | default('/etc/containerd') }}/certs.d/{{ item.prefix }}/hosts.toml"
                mode: "0640"
              loop: "{{ containerd_registries_mirrors }}"

        """.Replace("\r\n", "\n");

    /// <summary>containerd's hosts.toml for one entry of containerd_registries_mirrors (prefix, server, mirrors with host, capabilities, skip_verify, override_path, ca).</summary>
    public static string HostsToml() => """
        server = "{{ item.server | default('https://' ~ item.prefix) }}"
        {% for mirror in item.mirrors %}
        [host."{{ mirror.host }}"]
          capabilities = [{{ mirror.capabilities | map('to_json') | join(', ') }}]
          skip_verify = {{ mirror.skip_verify | default(false) | bool | lower }}
          override_path = {{ mirror.override_path | default(false) | bool | lower }}
        {% if mirror.ca is defined %}
          ca = [{{ ([mirror.ca] | flatten) | map('to_json') | join(', ') }}]
        {% endif %}
        {% endfor %}

        """.Replace("\r\n", "\n");

    /// <summary>
    /// record-system-info.yml: after the cluster is up, on the first control-plane node, configmap system-info in
    /// kube-system gets what the platform's installs need: the site (registry, files, repos, CA), the API server, the
    /// cluster's name and versions.
    /// </summary>
    public static string RecordSystemInfoPlaybook(string packageVersion) => $$$"""
        ---
        # record-system-info.yml of the Kubespray package. install.sh runs it after Kubespray's playbook: configmap
        # {{{SystemInfoConfigMap}}} in kube-system records the offline site, its CA, the API server and the versions, for the
        # platform's installs. Variables: bin_dir (/usr/local/bin), offline_site_kubeconfig (/etc/kubernetes/admin.conf).
        - name: Record system-info in the cluster
          hosts: kube_control_plane[0]
          gather_facts: false
          become: true
          vars:
            offline_site_kubespray_package: "{{{packageVersion}}}"
            api_server_host: "{{ loadbalancer_apiserver.address if loadbalancer_apiserver is defined else (access_ip | default(ip) | default(ansible_host) | default(inventory_hostname)) }}"
            api_server_port: "{{ loadbalancer_apiserver.port if loadbalancer_apiserver is defined else (kube_apiserver_port | default(6443)) }}"
            system_info:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: {{{SystemInfoConfigMap}}}
                namespace: kube-system
              data:
                registry: "{{ offline_site_registry }}"
                registryCA: "{{ lookup('file', offline_site_ca_file | default(playbook_dir ~ '/ca.pem')) }}\n"
                filesUrl: "{{ offline_site_files_url }}"
                reposUrl: "{{ offline_site_repos_url }}"
                siteHostname: "{{ offline_site_hostname }}"
                siteAddresses: "{{ offline_site_addresses | join(',') }}"
                apiServer: "{{ api_server_host }}:{{ api_server_port }}"
                clusterName: "{{ cluster_name | default('cluster.local') }}"
                kubeVersion: "{{ kube_version | default('') }}"
                kubesprayPackage: "{{ offline_site_kubespray_package }}"
          tasks:
            - name: Write configmap {{{SystemInfoConfigMap}}} in kube-system
              command:
                argv:
                  - "{{ bin_dir | default('/usr/local/bin') }}/kubectl"
                  - --kubeconfig
                  - "{{ offline_site_kubeconfig | default('/etc/kubernetes/admin.conf') }}"
                  - apply
                  - --filename
                  - "-"
                stdin: "{{ system_info | to_json }}"
              register: offline_site_system_info
              changed_when: "'unchanged' not in offline_site_system_info.stdout"

        """.Replace("\r\n", "\n");
}
