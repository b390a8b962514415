using Lading.Tests.Fixtures;

namespace Lading.Tests.Kubespray;

/// <summary>
/// A small tree shaped like Kubespray for the offline lists: default and download variables in the role folders Kubespray
/// uses, and a contrib/offline/generate_list.sh + generate_list.yml with the same contract as Kubespray's (templates of
/// the download URLs and images, rendered by ansible-playbook with the script's arguments into contrib/offline/temp/).
/// </summary>
public sealed class KubesprayShapedTree : IDisposable
{
    private readonly TempFolder _folder = new("lading-kubespray");

    public KubesprayShapedTree(string downloadVariables = "roles/kubespray-defaults/defaults/main/download.yml")
    {
        DownloadVariables = downloadVariables;
        _folder.Write("roles/kubespray-defaults/defaults/main/main.yml", """
            kube_version: 1.30.4
            image_arch: "{{ host_architecture | default('amd64') }}"
            kube_image_repo: registry.k8s.io
            docker_image_repo: docker.io

            """);
        _folder.Write(downloadVariables, """
            dl_k8s_io_url: "https://dl.k8s.io"
            github_url: "https://github.com"
            cni_version: "1.4.0"
            pause_version: "3.9"
            flannel_image_repo: "{{ docker_image_repo }}/flannel/flannel"
            flannel_image_tag: "v0.25.1{%- if image_arch != 'amd64' -%}-{{ image_arch }}{%- endif -%}"
            kubelet_download_url: "{{ dl_k8s_io_url }}/release/v{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet"
            kubectl_download_url: "{{ dl_k8s_io_url }}/release/v{{ kube_version }}/bin/linux/{{ image_arch }}/kubectl"
            cni_download_url: "{{ github_url }}/containernetworking/plugins/releases/download/v{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-v{{ cni_version }}.tgz"
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
        _folder.Write("contrib/offline/generate_list.yml", """
            ---
            - name: Render the offline lists from the download variables
              hosts: localhost
              become: false
              roles:
                # Loads the roles' default variables only.
                - role: kubespray-defaults
                  when: false
            __DOWNLOAD_ROLE__
              tasks:
                - name: Render each list template
                  template:
                    src: "./contrib/offline/temp/{{ item }}.list.template"
                    dest: "./contrib/offline/temp/{{ item }}.list"
                    mode: "0644"
                  loop: [files, images]

            """.Replace("__DOWNLOAD_ROLE__\n", downloadVariables.StartsWith("roles/download/", StringComparison.Ordinal) ? "    - role: download\n      when: false\n" : string.Empty, StringComparison.Ordinal));
        _folder.Write("contrib/offline/generate_list.sh", """
            #!/bin/bash
            set -eo pipefail
            offline_dir="$(cd "$(dirname "$0")" && pwd)"
            tree="${offline_dir%/contrib/offline}"
            vars="${DOWNLOAD_YML:-__VARS__}"
            temp="$offline_dir/temp"
            mkdir -p "$temp"
            awk '/_download_url:/ { sub(/^[^:]*: */, ""); gsub(/"/, ""); print }' "$tree/$vars" > "$temp/files.list.template"
            awk '/^downloads:/ { on = 1; next } /^[^ ]/ { on = 0 }
                 on && /^ +repo:/ { repo = $0; sub(/^ +repo: */, "", repo); gsub(/[" ]/, "", repo) }
                 on && /^ +tag:/ { tag = $0; sub(/^ +tag: */, "", tag); gsub(/[" ]/, "", tag); print repo ":" tag }' "$tree/$vars" > "$temp/images.list.template"
            for component in kube-apiserver kube-proxy; do
              echo "{{ kube_image_repo }}/$component:v{{ kube_version }}" >> "$temp/images.list.template"
            done
            cp "$offline_dir/generate_list.yml" "$tree/"
            (cd "$tree" && ansible-playbook $* generate_list.yml && rm generate_list.yml) || exit 1

            """.Replace("__VARS__", downloadVariables, StringComparison.Ordinal));
    }

    public string Root => _folder.Path;

    public string DownloadVariables { get; }

    public string Write(string relative, string content) => _folder.Write(relative, content);

    public void Dispose() => _folder.Dispose();
}
