; Inno Setup 6 (6.3 or newer) script: the Windows installer around the PyInstaller bundle.
; build_windows.ps1 runs it as
;   iscc /DAppVersion=<pyproject version> /DBundleDir=<dist\bundle\portal-console> /O<dist> portal-console.iss
; Per-user or per-machine (the user chooses); Start menu entry, optional desktop icon, uninstaller.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z (build_windows.ps1 reads it from pyproject.toml)
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\bundle\portal-console"
#endif

[Setup]
; A fixed AppId: upgrades replace the installed version instead of installing beside it.
AppId={{6B1E3C52-7F0A-4C1E-9C1D-3E5A7B2F9D40}
AppName=Portal Console
AppVersion={#AppVersion}
AppVerName=Portal Console {#AppVersion}
AppPublisher=Portal Console developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Portal Console
DefaultGroupName=Portal Console
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\resources\icons\portal-console.ico
UninstallDisplayIcon={app}\portal-console.exe
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
OutputBaseFilename=portal-console-{#AppVersion}-windows-setup

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Portal Console"; Filename: "{app}\portal-console.exe"
Name: "{autodesktop}\Portal Console"; Filename: "{app}\portal-console.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\portal-console.exe"; Description: "{cm:LaunchProgram,Portal Console}"; Flags: nowait postinstall skipifsilent
