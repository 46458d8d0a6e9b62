// The figure's csv in French: the English route's own, which reads the language from its address.
export { GET, getStaticPaths } from '../../../figures/[experiment]/[figure].csv.ts';
