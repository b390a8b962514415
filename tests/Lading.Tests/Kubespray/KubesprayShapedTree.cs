using Lading.Tests.Fixtures;

namespace Lading.Tests.Kubespray;

/// <summary>Where a Kubespray release keeps what the offline list script reads; the four layouts from v2.20 on.</summary>
public enum KubesprayLayout
{
    /// <summary>v2.20 to v2.22: download variables in roles/download/defaults/main.yml, kube_version v1.26.5 in kubespray-defaults/defaults/main.yaml.</summary>
    V2_20,

    /// <summary>v2.23: roles/download/defaults/main/main.yml.</summary>
    V2_23,

    /// <summary>v2.24 to v2.27: roles/kubespray-defaults/defaults/main/download.yml; the download role has no defaults.</summary>
    V2_24,

    /// <summary>v2.28 on: the role is kubespray_defaults, kube_version has no v and the script writes it.</summary>
    V2_28,
}

/// <summary>
/// A small tree shaped like Kubespray for the offline lists, in the layout of a given release: the defaults and
/// download variables where that release keeps them, and a contrib/offline/generate_list.sh + generate_list.yml with
/// the same contract as Kubespray's (the DOWNLOAD_YML it reads, declared as Kubespray declares it; templates of the
/// download URLs and images, rendered by ansible-playbook with the script's arguments into contrib/offline/temp/).
/// </summary>
public sealed class KubesprayShapedTree : IDisposable
{
    private readonly TempFolder _folder = new("lading-kubespray");

    public KubesprayShapedTree(KubesprayLayout layout = KubesprayLayout.V2_24)
    {
        Layout = layout;
        var (downloadVariables, defaults, role, kubeVersion) = layout switch
        {
            KubesprayLayout.V2_20 => ("roles/download/defaults/main.yml", "roles/kubespray-defaults/defaults/main.yaml", "kubespray-defaults", "v1.26.5"),
            KubesprayLayout.V2_23 => ("roles/download/defaults/main/main.yml", "roles/kubespray-defaults/defaults/main.yaml", "kubespray-defaults", "v1.27.5"),
            KubesprayLayout.V2_24 => ("roles/kubespray-defaults/defaults/main/download.yml", "roles/kubespray-defaults/defaults/main/main.yml", "kubespray-defaults", "v1.30.4"),
            _ => ("roles/kubespray_defaults/defaults/main/download.yml", "roles/kubespray_defaults/defaults/main/main.yml", "kubespray_defaults", "1.32.5"),
        };
        DownloadVariables = downloadVariables;
        DefaultsFile = defaults;
        KubeVersion = kubeVersion;

        // Up to v2.27 kube_version carries its v; from v2.28 the URLs and the script add it. Before v2.24 (in this
        // fixture; v2.25 upstream) the download URLs are written out in full, with no base variable such as dl_k8s_io_url.
        var v = layout == KubesprayLayout.V2_28 ? "v" : string.Empty;
        var literal = layout is KubesprayLayout.V2_20 or KubesprayLayout.V2_23;
        var dlK8sIo = literal ? "https://dl.k8s.io" : "{{ dl_k8s_io_url }}";
        var github = literal ? "https://github.com" : "{{ github_url }}";
        _folder.Write(defaults, $$$"""
            kube_version: {{{kubeVersion}}}
            image_arch: "{{ host_architecture | default('amd64') }}"
            kube_image_repo: registry.k8s.io
            docker_image_repo: docker.io

            """);
        _folder.Write("roles/download/tasks/main.yml", "---\n- name: Download what the cluster needs\n  debug:\n    msg: not run by the list script\n");
        _folder.Write(downloadVariables, $$$"""
            dl_k8s_io_url: "https://dl.k8s.io"
            github_url: "https://github.com"
            cni_version: "1.4.0"
            pause_version: "3.9"
            flannel_image_repo: "{{ docker_image_repo }}/flannel/flannel"
            flannel_image_tag: "v0.25.1{%- if image_arch != 'amd64' -%}-{{ image_arch }}{%- endif -%}"
            kubelet_download_url: "{{{dlK8sIo}}}/release/{{{v}}}{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet"
            kubectl_download_url: "{{{dlK8sIo}}}/release/{{{v}}}{{ kube_version }}/bin/linux/{{ image_arch }}/kubectl"
            cni_download_url: "{{{github}}}/containernetworking/plugins/releases/download/v{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-v{{ cni_version }}.tgz"
            downloads:
              pause:
                container: true
                repo: "{{ kube_image_repo }}/pause"
                tag: "{{ pause_version }}"
              flannel:
                container: true
                repo: "{{ flannel_image_repo }}"
                tag: "{{ flannel_image_tag }}"
            download_defaults:
              container: false

            """);
        _folder.Write("contrib/offline/generate_list.yml", $$$"""
            ---
            - name: Render the offline lists from the download variables
              hosts: localhost
              become: false
              roles:
                # Loads the roles' variables only; their tasks are skipped.
                - role: {{{role}}}
                  when: false
                - role: download
                  when: false
              tasks:
                - name: Render each list template
                  template:
                    src: "./contrib/offline/temp/{{ item }}.list.template"
                    dest: "./contrib/offline/temp/{{ item }}.list"
                    mode: "0644"
                  loop: [files, images]

            """);
        _folder.Write("contrib/offline/generate_list.sh", $$$"""
            #!/bin/bash
            set -eo pipefail
            offline_dir="$(cd "$(dirname "$0")" && pwd)"
            tree="${offline_dir%/contrib/offline}"
            temp="$offline_dir/temp"

            : ${DOWNLOAD_YML:="{{{downloadVariables}}}"}

            mkdir -p "$temp"
            awk '/_download_url:/ { sub(/^[^:]*: */, ""); gsub(/"/, ""); print }' "$tree/$DOWNLOAD_YML" > "$temp/files.list.template"
            awk '/^downloads:/ { on = 1; next } /^[^ ]/ { on = 0 }
                 on && /^ +repo:/ { repo = $0; sub(/^ +repo: */, "", repo); gsub(/[" ]/, "", repo) }
                 on && /^ +tag:/ { tag = $0; sub(/^ +tag: */, "", tag); gsub(/[" ]/, "", tag); print repo ":" tag }' "$tree/$DOWNLOAD_YML" > "$temp/images.list.template"
            # kubeadm pulls these itself, so the download variables do not name them.
            for component in kube-apiserver kube-proxy; do
              echo "{{ kube_image_repo }}/$component:{{{v}}}{{ kube_version }}" >> "$temp/images.list.template"
            done
            cp "$offline_dir/generate_list.yml" "$tree/"
            (cd "$tree" && ansible-playbook $* generate_list.yml && rm generate_list.yml) || exit 1

            """);
    }

    public KubesprayLayout Layout { get; }

    public string Root => _folder.Path;

    /// <summary>The download variables file, as the script's DOWNLOAD_YML names it.</summary>
    public string DownloadVariables { get; }

    /// <summary>The defaults file holding kube_version.</summary>
    public string DefaultsFile { get; }

    /// <summary>kube_version as this release spells it.</summary>
    public string KubeVersion { get; }

    public string Write(string relative, string content) => _folder.Write(relative, content);

    public void Dispose() => _folder.Dispose();
}
