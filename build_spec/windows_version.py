"""The Windows .exe's version resource, as PyInstaller's version-file text, from pyproject.toml.

The spec writes it to PyInstaller's work folder at build time and passes the file as
``EXE(version=...)``: Explorer's Details tab then shows the name, version and publisher.
The text is the ``VSVersionInfo`` form that ``pyi-grab_version`` prints.
"""

from __future__ import annotations

from project_info import APP_ID, DISPLAY_NAME, PUBLISHER, ProjectInfo


def version_file_text(project: ProjectInfo) -> str:
    numbers = project.numeric_version
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": DISPLAY_NAME,
        "FileVersion": project.version,
        "InternalName": APP_ID,
        "LegalCopyright": f"{PUBLISHER}. Proprietary licence.",
        "OriginalFilename": f"{APP_ID}.exe",
        "ProductName": DISPLAY_NAME,
        "ProductVersion": project.version,
    }
    entries = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0x0409 = US English, 1200 (0x04B0) = Unicode: the table's name is "040904B0".
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{entries}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
