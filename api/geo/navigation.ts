import gcoord from 'gcoord';

/**
 * "Navigate" links for the phone's map apps. Amap reads GCJ-02 and Baidu reads BD-09, so the
 * stored WGS84 point is converted here, once, when it is handed to them (a WGS84 point given as
 * GCJ-02 lands ≈ 300–600 m off in China). Both links open the app when installed and the web map
 * otherwise; `name` is what the app's marker is labelled.
 */
export type NavigationLinks = { amap: string; baidu: string };

const fixed6 = (x: number) => x.toFixed(6); // ≈ 10 cm: more digits mean nothing to either app

export function navigationLinks(lon: number, lat: number, name: string): NavigationLinks {
  const [gLon, gLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
  const [bLon, bLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.BD09);
  const title = encodeURIComponent(name);
  return {
    // https://lbs.amap.com/api/uri-api/guide/mobile-web/point: position=lon,lat; coordinate=gaode says GCJ-02
    amap: `https://uri.amap.com/marker?position=${fixed6(gLon)},${fixed6(gLat)}&name=${title}&coordinate=gaode&callnative=1`,
    // https://lbsyun.baidu.com/index.php?title=uri/api/web: location=lat,lng (latitude first), coord_type=bd09ll
    baidu: `https://api.map.baidu.com/marker?location=${fixed6(bLat)},${fixed6(bLon)}&title=${title}&content=${title}&coord_type=bd09ll&output=html&src=webapp.gridmap`,
  };
}
