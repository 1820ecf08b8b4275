/** Every word of the download page, in the three languages Caja speaks. */
export const LANGS = ['es', 'pt', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export interface SiteStrings {
  htmlLang: string;
  langName: string;
  title: string;
  description: string;
  tagline: string;
  heading: (version: string) => string;
  published: (date: string) => string;
  sampleNotice: string;
  primaryFor: (os: string, arch: string) => string;
  detected: (os: string) => string;
  notDetected: string;
  alsoFor: (arch: string) => string;
  version: string;
  size: string;
  sha256: string;
  allDownloads: string;
  system: string;
  package: string;
  architecture: string;
  file: string;
  verifyHeading: string;
  verifyText: string;
  checksumsLink: string;
  notesHeading: string;
  languages: string;
  skip: string;
  primaryHeading: string;
  os: Record<'windows' | 'macos' | 'linux', string>;
  arch: Record<'x64' | 'arm64', string>;
  macArch: Record<'x64' | 'arm64', string>;
  kind: Record<'nsis' | 'portable' | 'dmg' | 'zip' | 'appimage' | 'deb' | 'rpm', string>;
  notes: Record<'windows' | 'macos' | 'linux', { title: string; steps: string[] }>;
  unsupported: string;
}

export const STRINGS: Record<Lang, SiteStrings> = {
  es: {
    htmlLang: 'es',
    langName: 'Español',
    title: 'Descargar Caja',
    description:
      'Caja: punto de venta de escritorio que cobra con terminales Mercado Pago Point. Descargas para Windows, macOS y Linux.',
    tagline: 'El punto de venta que cobra con Mercado Pago Point.',
    heading: (v) => `Descargar Caja ${v}`,
    published: (d) => `Publicada el ${d}`,
    sampleNotice: 'Datos de ejemplo: esta página se generó con un manifiesto de muestra y los archivos no existen.',
    primaryFor: (os, arch) => `Descargar para ${os} (${arch})`,
    detected: (os) => `Detectamos que usa ${os}.`,
    notDetected: 'No pudimos detectar su sistema. Elija su descarga en la lista.',
    alsoFor: (arch) => `¿Otro procesador? Descargar para ${arch}`,
    version: 'Versión',
    size: 'Tamaño',
    sha256: 'SHA-256',
    allDownloads: 'Todas las descargas',
    system: 'Sistema',
    package: 'Paquete',
    architecture: 'Arquitectura',
    file: 'Archivo',
    verifyHeading: 'Verificar la descarga',
    verifyText: 'Compare el SHA-256 del archivo descargado con el de esta página:',
    checksumsLink: 'Archivo SHA256SUMS de la versión',
    notesHeading: 'Cómo instalar',
    languages: 'Idioma',
    skip: 'Ir a la descarga',
    primaryHeading: 'Descarga recomendada',
    os: { windows: 'Windows', macos: 'macOS', linux: 'Linux' },
    arch: { x64: '64 bits', arm64: 'ARM de 64 bits' },
    macArch: { x64: 'Intel', arm64: 'Apple Silicon (M1 o posterior)' },
    kind: {
      nsis: 'Instalador',
      portable: 'Portátil (sin instalar, sin actualizaciones automáticas)',
      dmg: 'Imagen de disco (.dmg)',
      zip: 'Archivo .zip',
      appimage: 'AppImage',
      deb: 'Paquete .deb (Debian, Ubuntu)',
      rpm: 'Paquete .rpm (Fedora, openSUSE)',
    },
    notes: {
      windows: {
        title: 'Windows',
        steps: [
          'Abra el instalador. Se instala solo para su usuario, sin permisos de administrador.',
          'Si Windows SmartScreen muestra «Windows protegió su PC», elija «Más información» y luego «Ejecutar de todas formas» (solo si el SHA-256 coincide).',
          'Caja se actualiza sola, y nunca durante un cobro: le pregunta antes de reiniciar.',
        ],
      },
      macos: {
        title: 'macOS',
        steps: [
          'Abra el .dmg y arrastre Caja a Aplicaciones.',
          'Elija Apple Silicon para Mac con chip M1 o posterior, Intel para los anteriores (menú Apple → Acerca de esta Mac).',
          'Si Gatekeeper dice que no puede verificar al desarrollador, abra Configuración del Sistema → Privacidad y seguridad → «Abrir igualmente».',
        ],
      },
      linux: {
        title: 'Linux',
        steps: [
          'AppImage: dele permiso de ejecución (chmod +x Caja-*.AppImage, o Propiedades → Permisos) y ábralo.',
          'Debian/Ubuntu: sudo apt install ./Caja-*.deb — Fedora/openSUSE: sudo dnf install ./Caja-*.rpm',
          'Sin un llavero del sistema (GNOME Keyring, KWallet) Caja guarda el token con una clave local, más débil.',
        ],
      },
    },
    unsupported: 'Caja funciona en computadoras con Windows, macOS o Linux.',
  },
  pt: {
    htmlLang: 'pt-BR',
    langName: 'Português',
    title: 'Baixar o Caja',
    description:
      'Caja: ponto de venda para desktop que cobra com maquininhas Mercado Pago Point. Downloads para Windows, macOS e Linux.',
    tagline: 'O ponto de venda que cobra com Mercado Pago Point.',
    heading: (v) => `Baixar o Caja ${v}`,
    published: (d) => `Publicada em ${d}`,
    sampleNotice: 'Dados de exemplo: esta página foi gerada com um manifesto de amostra e os arquivos não existem.',
    primaryFor: (os, arch) => `Baixar para ${os} (${arch})`,
    detected: (os) => `Detectamos que você usa ${os}.`,
    notDetected: 'Não conseguimos detectar seu sistema. Escolha o download na lista.',
    alsoFor: (arch) => `Outro processador? Baixar para ${arch}`,
    version: 'Versão',
    size: 'Tamanho',
    sha256: 'SHA-256',
    allDownloads: 'Todos os downloads',
    system: 'Sistema',
    package: 'Pacote',
    architecture: 'Arquitetura',
    file: 'Arquivo',
    verifyHeading: 'Verificar o download',
    verifyText: 'Compare o SHA-256 do arquivo baixado com o desta página:',
    checksumsLink: 'Arquivo SHA256SUMS da versão',
    notesHeading: 'Como instalar',
    languages: 'Idioma',
    skip: 'Ir para o download',
    primaryHeading: 'Download recomendado',
    os: { windows: 'Windows', macos: 'macOS', linux: 'Linux' },
    arch: { x64: '64 bits', arm64: 'ARM de 64 bits' },
    macArch: { x64: 'Intel', arm64: 'Apple Silicon (M1 ou posterior)' },
    kind: {
      nsis: 'Instalador',
      portable: 'Portátil (sem instalar, sem atualizações automáticas)',
      dmg: 'Imagem de disco (.dmg)',
      zip: 'Arquivo .zip',
      appimage: 'AppImage',
      deb: 'Pacote .deb (Debian, Ubuntu)',
      rpm: 'Pacote .rpm (Fedora, openSUSE)',
    },
    notes: {
      windows: {
        title: 'Windows',
        steps: [
          'Abra o instalador. Ele instala só para o seu usuário, sem permissão de administrador.',
          'Se o Windows SmartScreen mostrar «O Windows protegeu o computador», escolha «Mais informações» e depois «Executar assim mesmo» (só se o SHA-256 conferir).',
          'O Caja se atualiza sozinho, e nunca durante uma cobrança: ele pergunta antes de reiniciar.',
        ],
      },
      macos: {
        title: 'macOS',
        steps: [
          'Abra o .dmg e arraste o Caja para Aplicativos.',
          'Escolha Apple Silicon para Macs com chip M1 ou posterior, Intel para os anteriores (menu Apple → Sobre este Mac).',
          'Se o Gatekeeper disser que não pode verificar o desenvolvedor, abra Ajustes do Sistema → Privacidade e Segurança → «Abrir Mesmo Assim».',
        ],
      },
      linux: {
        title: 'Linux',
        steps: [
          'AppImage: dê permissão de execução (chmod +x Caja-*.AppImage, ou Propriedades → Permissões) e abra.',
          'Debian/Ubuntu: sudo apt install ./Caja-*.deb — Fedora/openSUSE: sudo dnf install ./Caja-*.rpm',
          'Sem um chaveiro do sistema (GNOME Keyring, KWallet) o Caja guarda o token com uma chave local, mais fraca.',
        ],
      },
    },
    unsupported: 'O Caja funciona em computadores com Windows, macOS ou Linux.',
  },
  en: {
    htmlLang: 'en',
    langName: 'English',
    title: 'Download Caja',
    description:
      'Caja: a desktop point of sale that takes payments on Mercado Pago Point terminals. Downloads for Windows, macOS and Linux.',
    tagline: 'The point of sale that takes payments on Mercado Pago Point.',
    heading: (v) => `Download Caja ${v}`,
    published: (d) => `Released on ${d}`,
    sampleNotice: 'Sample data: this page was built from a sample manifest and the files do not exist.',
    primaryFor: (os, arch) => `Download for ${os} (${arch})`,
    detected: (os) => `You seem to be using ${os}.`,
    notDetected: 'We could not tell which system you use. Pick your download from the list.',
    alsoFor: (arch) => `Another processor? Download for ${arch}`,
    version: 'Version',
    size: 'Size',
    sha256: 'SHA-256',
    allDownloads: 'All downloads',
    system: 'System',
    package: 'Package',
    architecture: 'Architecture',
    file: 'File',
    verifyHeading: 'Verify your download',
    verifyText: "Compare the downloaded file's SHA-256 with the one on this page:",
    checksumsLink: "The release's SHA256SUMS file",
    notesHeading: 'How to install',
    languages: 'Language',
    skip: 'Skip to the download',
    primaryHeading: 'Recommended download',
    os: { windows: 'Windows', macos: 'macOS', linux: 'Linux' },
    arch: { x64: '64-bit', arm64: '64-bit ARM' },
    macArch: { x64: 'Intel', arm64: 'Apple silicon (M1 or later)' },
    kind: {
      nsis: 'Installer',
      portable: 'Portable (no install, no automatic updates)',
      dmg: 'Disk image (.dmg)',
      zip: '.zip archive',
      appimage: 'AppImage',
      deb: '.deb package (Debian, Ubuntu)',
      rpm: '.rpm package (Fedora, openSUSE)',
    },
    notes: {
      windows: {
        title: 'Windows',
        steps: [
          'Open the installer. It installs for your user only, without administrator rights.',
          'If Windows SmartScreen says "Windows protected your PC", choose "More info", then "Run anyway" (only if the SHA-256 matches).',
          'Caja updates itself, never during a payment: it asks before restarting.',
        ],
      },
      macos: {
        title: 'macOS',
        steps: [
          'Open the .dmg and drag Caja to Applications.',
          'Pick Apple silicon for Macs with an M1 chip or later, Intel for older ones (Apple menu → About This Mac).',
          'If Gatekeeper says it cannot verify the developer, open System Settings → Privacy & Security → "Open Anyway".',
        ],
      },
      linux: {
        title: 'Linux',
        steps: [
          'AppImage: make it executable (chmod +x Caja-*.AppImage, or Properties → Permissions) and open it.',
          'Debian/Ubuntu: sudo apt install ./Caja-*.deb — Fedora/openSUSE: sudo dnf install ./Caja-*.rpm',
          'Without a system keyring (GNOME Keyring, KWallet) Caja seals the token with a local key, which is weaker.',
        ],
      },
    },
    unsupported: 'Caja runs on Windows, macOS and Linux computers.',
  },
};
