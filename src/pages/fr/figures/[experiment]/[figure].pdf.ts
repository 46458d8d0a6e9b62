// The figure's pdf in French: the English route's own, which reads the language from its address.
export { GET, getStaticPaths } from '../../../figures/[experiment]/[figure].pdf.ts';
