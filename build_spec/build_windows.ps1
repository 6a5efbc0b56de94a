# Windows: a windowed portal-console.exe (icon, version resource from pyproject.toml) in an
# Inno Setup installer.
#
#   powershell -ExecutionPolicy Bypass -File build_spec\build_windows.ps1
#
# Needs the project's venv (scripts\setup: python -m venv .venv; .venv\Scripts\pip install -e .[build])
# and Inno Setup 6 (iscc.exe on PATH, or in its default folder). Unsigned: code signing needs the
# publisher's certificate (see the README's Release section).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
$python = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }
$out = if ($env:OUT) { $env:OUT } else { "dist" }
$version = & $python build_spec\project_info.py
if ($LASTEXITCODE -ne 0) { throw "could not read the version from pyproject.toml" }
if (Test-Path "$out\bundle") { Remove-Item -Recurse -Force "$out\bundle" }
& $python -m PyInstaller --noconfirm --log-level WARN `
  --distpath "$out\bundle" --workpath build\pyinstaller build_spec\portal-console.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" "/DBundleDir=$((Resolve-Path "$out\bundle\portal-console").Path)" `
  "/O$((Resolve-Path $out).Path)" build_spec\portal-console.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Get-ChildItem "$out\portal-console-$version-windows-setup.exe"
