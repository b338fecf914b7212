// The desktop settings of issue 9, applied with Electron's own APIs: a tray icon that keeps Marquee running
// (and the live catalog current) when the window closes, and starting at login. The settings themselves live
// in the catalog (settings:get/set, main/app/handlers/live.ts); this module only applies them. Type-checked,
// never executed in tests.
import { app, Menu, nativeImage, Tray } from 'electron';
import type { AppSettings } from '../../shared/ipc.js';

/** Passed by the login item: start in the tray, without a window. */
export const HIDDEN_FLAG = '--hidden';

// A 16×16 square in the app's accent colour: enough to find the icon, without shipping an image file.
const TRAY_ICON_PNG = 'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAG0lEQVR4nGNgGD7gUDjPf1LwqAGjBtDGgKELANBHAPCBMrlOAAAAAElFTkSuQmCC';

export interface DesktopShell {
  /** Brings the window back (creating it when it was closed). */
  showWindow(): void;
  quit(): void;
}

export class DesktopSettings {
  private tray: Tray | null = null;
  private current: AppSettings = { keepRunningInTray: false, startAtLogin: false, artworkCacheMb: 500 };

  constructor(private readonly shell: DesktopShell) {}

  get keepRunningInTray(): boolean {
    return this.current.keepRunningInTray;
  }

  apply(settings: AppSettings): void {
    this.current = settings;
    if (settings.keepRunningInTray) this.showTray();
    else this.hideTray();
    // Linux has no login items API in Electron (it is a no-op there); macOS and Windows honour it.
    app.setLoginItemSettings({ openAtLogin: settings.startAtLogin, args: [HIDDEN_FLAG] });
  }

  dispose(): void {
    this.hideTray();
  }

  private showTray(): void {
    if (this.tray !== null) return;
    const tray = new Tray(nativeImage.createFromDataURL(`data:image/png;base64,${TRAY_ICON_PNG}`));
    tray.setToolTip('Marquee keeps your catalog current');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Marquee', click: () => this.shell.showWindow() },
        { type: 'separator' },
        { label: 'Quit Marquee', click: () => this.shell.quit() },
      ]),
    );
    tray.on('click', () => this.shell.showWindow());
    this.tray = tray;
  }

  private hideTray(): void {
    this.tray?.destroy();
    this.tray = null;
  }
}
