// The cortical labels of FreeSurfer's two volume parcellations, so that no FreeSurfer installation
// is needed to name them. Ids and names as in FreeSurferColorLUT.txt: Destrieux (aparc.a2009s+aseg)
// ctx_lh_* 11101-11175 and ctx_rh_* 12101-12175, Desikan-Killiany (aparc+aseg) ctx-lh-* 1001-1035
// and ctx-rh-* 2001-2035. Excluded as not cortex: Medial_wall (11142/12142, the unlabelled medial
// surface) and corpuscallosum (1004/2004).

/** The 74 Destrieux gyri and sulci per hemisphere, in FreeSurfer's order (ids 11101…11141, then 11143…11175). */
export const DESTRIEUX_NAMES: readonly string[] = [
  'G_and_S_frontomargin', 'G_and_S_occipital_inf', 'G_and_S_paracentral', 'G_and_S_subcentral',
  'G_and_S_transv_frontopol', 'G_and_S_cingul-Ant', 'G_and_S_cingul-Mid-Ant', 'G_and_S_cingul-Mid-Post',
  'G_cingul-Post-dorsal', 'G_cingul-Post-ventral', 'G_cuneus', 'G_front_inf-Opercular',
  'G_front_inf-Orbital', 'G_front_inf-Triangul', 'G_front_middle', 'G_front_sup',
  'G_Ins_lg_and_S_cent_ins', 'G_insular_short', 'G_occipital_middle', 'G_occipital_sup',
  'G_oc-temp_lat-fusifor', 'G_oc-temp_med-Lingual', 'G_oc-temp_med-Parahip', 'G_orbital',
  'G_pariet_inf-Angular', 'G_pariet_inf-Supramar', 'G_parietal_sup', 'G_postcentral',
  'G_precentral', 'G_precuneus', 'G_rectus', 'G_subcallosal',
  'G_temp_sup-G_T_transv', 'G_temp_sup-Lateral', 'G_temp_sup-Plan_polar', 'G_temp_sup-Plan_tempo',
  'G_temporal_inf', 'G_temporal_middle', 'Lat_Fis-ant-Horizont', 'Lat_Fis-ant-Vertical',
  'Lat_Fis-post', 'Pole_occipital', 'Pole_temporal', 'S_calcarine',
  'S_central', 'S_cingul-Marginalis', 'S_circular_insula_ant', 'S_circular_insula_inf',
  'S_circular_insula_sup', 'S_collat_transv_ant', 'S_collat_transv_post', 'S_front_inf',
  'S_front_middle', 'S_front_sup', 'S_interm_prim-Jensen', 'S_intrapariet_and_P_trans',
  'S_oc_middle_and_Lunatus', 'S_oc_sup_and_transversal', 'S_occipital_ant', 'S_oc-temp_lat',
  'S_oc-temp_med_and_Lingual', 'S_orbital_lateral', 'S_orbital_med-olfact', 'S_orbital-H_Shaped',
  'S_parieto_occipital', 'S_pericallosal', 'S_postcentral', 'S_precentral-inf-part',
  'S_precentral-sup-part', 'S_suborbital', 'S_subparietal', 'S_temporal_inf',
  'S_temporal_sup', 'S_temporal_transverse',
];

/** Desikan-Killiany labels 1001…1035 in order; null where the id is not a cortical region (1004 corpuscallosum). */
const DESIKAN_BY_ID: readonly (string | null)[] = [
  'bankssts', 'caudalanteriorcingulate', 'caudalmiddlefrontal', null,
  'cuneus', 'entorhinal', 'fusiform', 'inferiorparietal',
  'inferiortemporal', 'isthmuscingulate', 'lateraloccipital', 'lateralorbitofrontal',
  'lingual', 'medialorbitofrontal', 'middletemporal', 'parahippocampal',
  'paracentral', 'parsopercularis', 'parsorbitalis', 'parstriangularis',
  'pericalcarine', 'postcentral', 'posteriorcingulate', 'precentral',
  'precuneus', 'rostralanteriorcingulate', 'rostralmiddlefrontal', 'superiorfrontal',
  'superiorparietal', 'superiortemporal', 'supramarginal', 'frontalpole',
  'temporalpole', 'transversetemporal', 'insula',
];

/** The 34 Desikan-Killiany cortical regions per hemisphere, in id order. */
export const DESIKAN_NAMES: readonly string[] = DESIKAN_BY_ID.filter((n): n is string => n !== null);

/** FreeSurfer id of the i-th Destrieux name (0-based) in a hemisphere: 11101 + i, skipping Medial_wall (11142). */
export function destrieuxId(hemi: 'lh' | 'rh', i: number): number {
  return (hemi === 'lh' ? 11101 : 12101) + i + (i >= 41 ? 1 : 0);
}

/** The 148 cortical Destrieux ids of aparc.a2009s+aseg with their LUT names (`ctx_lh_G_temp_sup-G_T_transv`, …). */
export function destrieuxLabels(): Map<number, string> {
  const out = new Map<number, string>();
  for (const hemi of ['lh', 'rh'] as const) DESTRIEUX_NAMES.forEach((n, i) => out.set(destrieuxId(hemi, i), `ctx_${hemi}_${n}`));
  return out;
}

/** The 68 cortical Desikan-Killiany ids of aparc+aseg with their LUT names (`ctx-lh-superiortemporal`, …). */
export function desikanLabels(): Map<number, string> {
  const out = new Map<number, string>();
  for (const [hemi, base] of [['lh', 1001], ['rh', 2001]] as const) {
    DESIKAN_BY_ID.forEach((n, i) => {
      if (n !== null) out.set(base + i, `ctx-${hemi}-${n}`);
    });
  }
  return out;
}

/** Every cortical label of both FreeSurfer parcellations (Destrieux and Desikan-Killiany), id → LUT name. */
export function freesurferCorticalLabels(): Map<number, string> {
  return new Map([...destrieuxLabels(), ...desikanLabels()]);
}
