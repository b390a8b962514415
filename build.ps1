# Lading: ./build.ps1 [--target=<Target>] [--recipe=recipes/<file>.yaml] [--name=value ...]
# Builds the host once (again only when its sources change), then runs it with every argument.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$localDotnet = Join-Path $root '.dotnet'
if (Test-Path (Join-Path $localDotnet 'dotnet*')) {
    $env:DOTNET_ROOT = $localDotnet
    $env:PATH = "$localDotnet$([IO.Path]::PathSeparator)$env:PATH"
}

Push-Location $root
try { & dotnet --version *> $null; $sdkOk = ($LASTEXITCODE -eq 0) } catch { $sdkOk = $false } finally { Pop-Location }
if (-not $sdkOk) {
    $channel = ((Get-Content (Join-Path $root 'global.json') | ConvertFrom-Json).sdk.version -split '\.')[0..1] -join '.'
    Write-Host "No .NET SDK matching global.json; installing .NET $channel under .dotnet/"
    $installer = Join-Path ([IO.Path]::GetTempPath()) 'dotnet-install.ps1'
    Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $installer
    & $installer -Channel $channel -InstallDir $localDotnet -NoPath
    $env:DOTNET_ROOT = $localDotnet
    $env:PATH = "$localDotnet$([IO.Path]::PathSeparator)$env:PATH"
}

$hostDir = Join-Path $root '.lading/host'
New-Item -ItemType Directory -Force -Path $hostDir | Out-Null
$files = @(Get-ChildItem -Path (Join-Path $root 'build') -Recurse -File -Include '*.cs', '*.csproj' |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } | Sort-Object FullName) +
    @('global.json', 'Directory.Build.props', 'Directory.Build.targets' | ForEach-Object { Get-Item (Join-Path $root $_) })
$hashes = ($files | ForEach-Object { (Get-FileHash $_.FullName -Algorithm SHA256).Hash }) -join "`n"
$stamp = [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($hashes))) -replace '-', ''
$stampFile = Join-Path $hostDir '.stamp'
if (-not (Test-Path (Join-Path $hostDir 'Lading.dll')) -or -not (Test-Path $stampFile) -or (Get-Content $stampFile) -ne $stamp) {
    Write-Host 'Building the Lading host...'
    Remove-Item -Force -ErrorAction SilentlyContinue $stampFile
    $log = & dotnet build (Join-Path $root 'build/Lading.csproj') --configuration Release --output $hostDir --nologo --verbosity quiet 2>&1
    if ($LASTEXITCODE -ne 0) { $log | Write-Host; exit $LASTEXITCODE }
    Set-Content -Path $stampFile -Value $stamp
}

& dotnet (Join-Path $hostDir 'Lading.dll') @args
exit $LASTEXITCODE
