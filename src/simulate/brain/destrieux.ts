import { DESTRIEUX_NAMES } from '../../bids/index.ts';

// Rough position of each Destrieux label (in DESTRIEUX_NAMES order): y, z, lateral.
const POSITIONS: ReadonlyArray<readonly [number, number, number]> = [
  [0.85, -0.1, 0.6], // G_and_S_frontomargin
  [-0.85, -0.35, 0.8], // G_and_S_occipital_inf
  [-0.1, 0.9, 0], // G_and_S_paracentral
  [0, 0.15, 1], // G_and_S_subcentral
  [0.97, 0.1, 0.3], // G_and_S_transv_frontopol
  [0.55, 0.3, 0], // G_and_S_cingul-Ant
  [0.25, 0.45, 0], // G_and_S_cingul-Mid-Ant
  [-0.05, 0.5, 0], // G_and_S_cingul-Mid-Post
  [-0.3, 0.45, 0], // G_cingul-Post-dorsal
  [-0.4, 0.15, 0], // G_cingul-Post-ventral
  [-0.85, 0.3, 0], // G_cuneus
  [0.35, 0.2, 1], // G_front_inf-Opercular
  [0.55, -0.15, 1], // G_front_inf-Orbital
  [0.5, 0.1, 1], // G_front_inf-Triangul
  [0.55, 0.5, 1], // G_front_middle
  [0.5, 0.8, 0.4], // G_front_sup
  [0.05, 0, 0.75], // G_Ins_lg_and_S_cent_ins
  [0.2, 0, 0.75], // G_insular_short
  [-0.85, 0.05, 1], // G_occipital_middle
  [-0.8, 0.4, 0.8], // G_occipital_sup
  [-0.45, -0.7, 0.6], // G_oc-temp_lat-fusifor
  [-0.7, -0.3, 0], // G_oc-temp_med-Lingual
  [-0.25, -0.6, 0.2], // G_oc-temp_med-Parahip
  [0.6, -0.45, 0.7], // G_orbital
  [-0.55, 0.4, 1], // G_pariet_inf-Angular
  [-0.3, 0.5, 1], // G_pariet_inf-Supramar
  [-0.5, 0.8, 0.6], // G_parietal_sup
  [-0.15, 0.7, 1], // G_postcentral
  [0.05, 0.7, 1], // G_precentral
  [-0.55, 0.6, 0], // G_precuneus
  [0.65, -0.5, 0], // G_rectus
  [0.4, -0.25, 0], // G_subcallosal
  [-0.1, 0.05, 0.85], // G_temp_sup-G_T_transv
  [0.05, -0.25, 1], // G_temp_sup-Lateral
  [0.25, -0.15, 0.85], // G_temp_sup-Plan_polar
  [-0.25, 0.1, 0.85], // G_temp_sup-Plan_tempo
  [-0.1, -0.7, 1], // G_temporal_inf
  [-0.05, -0.45, 1], // G_temporal_middle
  [0.4, 0, 1], // Lat_Fis-ant-Horizont
  [0.35, 0.05, 1], // Lat_Fis-ant-Vertical
  [-0.15, 0.2, 1], // Lat_Fis-post
  [-0.99, 0, 0.5], // Pole_occipital
  [0.35, -0.5, 1], // Pole_temporal
  [-0.85, 0.05, 0], // S_calcarine
  [-0.05, 0.75, 1], // S_central
  [-0.25, 0.75, 0], // S_cingul-Marginalis
  [0.25, 0.05, 0.75], // S_circular_insula_ant
  [0, -0.1, 0.75], // S_circular_insula_inf
  [0.05, 0.15, 0.75], // S_circular_insula_sup
  [-0.2, -0.7, 0.3], // S_collat_transv_ant
  [-0.65, -0.5, 0.3], // S_collat_transv_post
  [0.5, 0.3, 1], // S_front_inf
  [0.65, 0.45, 1], // S_front_middle
  [0.4, 0.75, 0.7], // S_front_sup
  [-0.45, 0.45, 1], // S_interm_prim-Jensen
  [-0.45, 0.65, 0.8], // S_intrapariet_and_P_trans
  [-0.9, 0.15, 1], // S_oc_middle_and_Lunatus
  [-0.75, 0.5, 0.8], // S_oc_sup_and_transversal
  [-0.65, -0.05, 1], // S_occipital_ant
  [-0.35, -0.75, 0.7], // S_oc-temp_lat
  [-0.55, -0.5, 0.2], // S_oc-temp_med_and_Lingual
  [0.6, -0.3, 0.9], // S_orbital_lateral
  [0.6, -0.45, 0.2], // S_orbital_med-olfact
  [0.55, -0.4, 0.5], // S_orbital-H_Shaped
  [-0.75, 0.45, 0], // S_parieto_occipital
  [0, 0.2, 0], // S_pericallosal
  [-0.25, 0.65, 1], // S_postcentral
  [0.15, 0.45, 1], // S_precentral-inf-part
  [0.15, 0.75, 0.8], // S_precentral-sup-part
  [0.55, 0.1, 0], // S_suborbital
  [-0.45, 0.4, 0], // S_subparietal
  [-0.2, -0.6, 1], // S_temporal_inf
  [-0.1, -0.15, 1], // S_temporal_sup
  [-0.15, 0.08, 0.85], // S_temporal_transverse
];

/**
 * The 74 cortical labels of the Destrieux atlas (FreeSurfer aparc.a2009s) per hemisphere, each
 * with a rough position on a unit brain used to place the simulated ROI: y anterior (+) /
 * posterior (-), z superior (+) / inferior (-), and lateral (1) or medial (0) surface.
 * Positions are coarse anatomy, enough for neighbouring names to be neighbours.
 */
export const DESTRIEUX: ReadonlyArray<readonly [name: string, y: number, z: number, lateral: number]> = DESTRIEUX_NAMES.map((name, i) => {
  const [y, z, lateral] = POSITIONS[i];
  return [name, y, z, lateral] as const;
});

/** Names of the ROIs whose voxels respond to acoustic features (primary and belt auditory cortex). */
export const AUDITORY_ROIS = ['G_temp_sup-G_T_transv', 'S_temporal_transverse', 'G_temp_sup-Plan_tempo', 'G_temp_sup-Lateral', 'S_temporal_sup'];

/** Names of the ROIs whose voxels respond to musical parameters (lateral prefrontal and anterior temporal). */
export const HIGHER_ROIS = ['G_front_inf-Triangul', 'G_front_inf-Opercular', 'G_front_middle', 'S_front_inf', 'G_temp_sup-Plan_polar'];

/** Full label name in a hemisphere, FreeSurfer LUT style: 'ctx_lh_G_temp_sup-G_T_transv'. */
export function roiName(hemi: 'lh' | 'rh', name: string): string {
  return `ctx_${hemi}_${name}`;
}
