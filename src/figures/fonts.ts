import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The font files figures are drawn with off the page (PDF and PNG): Arimo,
 * metric-compatible with Arial (the widths Plot lays text out for), regular
 * and bold, from a package, so that every machine draws the same figure.
 */
export const FIGURE_FONTS = {
  family: 'Arimo',
  regular: require.resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf'),
};
