; Inno Setup 6 script of PensionDesk (城乡居保村级工作台): a per-user installer, no administrator rights needed.
;
; Build dist\PensionDesk\ first (installer\build.py), then, from the repository root on Windows:
;     iscc installer\pensiondesk.iss                 (or: python installer\build.py --installer)
; The result is dist\installer\PensionDesk-Setup-<version>.exe. docs\installing.md has the whole procedure.
;
; Promises this script keeps (tests\installer\test_installer_files.py checks the text):
; * per-user: installs to %LOCALAPPDATA%\Programs\PensionDesk with PrivilegesRequired=lowest;
; * upgrade in place: the AppId below never changes, so a newer setup finds the old folder and replaces the
;   program files (the old _internal folder is emptied first, so no stale library survives an upgrade);
; * the user's data (%LOCALAPPDATA%\PensionDesk: database, backups, printouts, logs; platformdirs'
;   user_data_dir("PensionDesk")) is never touched: not by an upgrade, not by the uninstaller;
; * Chinese UI: our own messages are Chinese; the wizard's standard texts are Chinese when
;   ChineseSimplified.isl is available (installer\ChineseSimplified.isl, or Inno's Languages folder), else English.
;
; This file is UTF-8 with a byte-order mark: Inno Setup reads a script without one in the ANSI code page.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppTitle "城乡居保村级工作台"
#define AppExe "PensionDesk.exe"
#define BuildDir "..\dist\PensionDesk"

#if !FileExists(AddBackslash(SourcePath) + BuildDir + "\" + AppExe)
  #error "dist\PensionDesk\PensionDesk.exe not found: run installer\build.py first (on Windows)"
#endif

[Setup]
; Never change the AppId: it is how an upgrade finds the installed copy.
AppId={{6A0640B0-A83A-40BC-8874-50FE112C4E8D}
AppName={#AppTitle}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=PensionDesk
AppComments=城乡居民基本养老保险村级协办员工作台（PensionDesk）
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\PensionDesk
DefaultGroupName={#AppTitle}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
UsePreviousTasks=yes
OutputDir=..\dist\installer
OutputBaseFilename=PensionDesk-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
UninstallDisplayName={#AppTitle}
UninstallDisplayIcon={app}\{#AppExe}
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no
SetupLogging=yes

#define ZhIslBeside AddBackslash(SourcePath) + "ChineseSimplified.isl"
#define ZhIslInno AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
[Languages]
#if FileExists(ZhIslBeside)
Name: "zh"; MessagesFile: "{#ZhIslBeside}"
#elif FileExists(ZhIslInno)
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found: the wizard's standard texts will be English (docs/installing.md)"
Name: "zh"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
AppTitle=城乡居保村级工作台
DemoShortcut=城乡居保村级工作台（演示数据）
ShortcutsGroup=快捷方式：
DesktopIcon=在桌面上创建快捷方式(&D)
LaunchNow=立即启动城乡居保村级工作台
DataKept=程序已卸载。%n%n您的数据（数据库、备份、打印文件、日志）没有删除，仍保存在：%n%1%n%n重新安装本程序后会继续使用这些数据。确定不再需要时，可以自己删除这个文件夹（请先备份）。
NotInDataDir=不能把程序安装在数据文件夹里或它的上级文件夹：%n%1%n%n请选择其他文件夹（建议使用默认位置）。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:ShortcutsGroup}"

[InstallDelete]
; Upgrade: the previous version's program files go first (only the program folder; data lives elsewhere).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchNow}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder's own leftovers. Never add the data folder ({localappdata}\PensionDesk) here.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
{ Where PensionDesk keeps its data: platformdirs.user_data_dir("PensionDesk", appauthor=False) on Windows. }
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\PensionDesk');
end;

{ The program folder must not be the data folder, inside it, or above it. }
function NextButtonClick(CurPageID: Integer): Boolean;
var
  Dir, Data: String;
begin
  Result := True;
  if CurPageID = wpSelectDir then
  begin
    Dir := Uppercase(AddBackslash(WizardDirValue()));
    Data := Uppercase(AddBackslash(DataDir()));
    if (Pos(Data, Dir) = 1) or (Pos(Dir, Data) = 1) then
    begin
      MsgBox(FmtMessage(CustomMessage('NotInDataDir'), [DataDir()]), mbError, MB_OK);
      Result := False;
    end;
  end;
end;

{ After uninstalling, say where the data is: it stays. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
