#!/usr/bin/env python3
"""Opens minusma's QGIS project, GeoPackage and GeoJSON style in QGIS itself (headless, QGIS 3.22
from Debian's python3-qgis) and checks what a user would see:

* every layer of the project is valid, the sites layer's temporal properties are active, and the
  project's time range is the withdrawal;
* on 2023-08-01, 2023-11-01 and 2024-08-01 the sites the Temporal Controller draws (the layer's
  own temporal filter for that day's frame) are exactly those `minusma export --as-of` selects;
* the GeoJSON opens with its .qml (categorised by phase) and the GeoPackage with its default
  style from layer_styles.

Run by `make test`:  MINUSMA_BIN=.build/debug/minusma /usr/bin/python3 Tests/qgis/check_qgis_project.py
Exit status 0 when every check passes; the failures are listed otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp())

from qgis.core import (  # noqa: E402
    Qgis, QgsApplication, QgsDateTimeRange, QgsFeatureRequest, QgsProject, QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, Qt  # noqa: E402

BIN = os.environ.get("MINUSMA_BIN", ".build/debug/minusma")
DATES = ["2023-08-01", "2023-11-01", "2024-08-01"]
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def minusma(*args):
    result = subprocess.run([BIN, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"minusma {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result


def frame(day):
    d = QDate.fromString(day, "yyyy-MM-dd")
    return QgsDateTimeRange(QDateTime(d, QTime(0, 0), Qt.UTC), QDateTime(d.addDays(1), QTime(0, 0), Qt.UTC), True, False)


qgs = QgsApplication([], False)
QgsApplication.setPrefixPath("/usr", True)
qgs.initQgis()
print(f"QGIS {Qgis.QGIS_VERSION}")

work = tempfile.mkdtemp(prefix="minusma-qgis-")
minusma("qgis-project", "--out", work)
minusma("export", "--out", work, "--format", "geojson", "--quiet")

# Moving the folder must not break the project: open it from a copy elsewhere.
moved = tempfile.mkdtemp(prefix="minusma-qgis-moved-")
for name in os.listdir(work):
    with open(os.path.join(work, name), "rb") as src, open(os.path.join(moved, name), "wb") as dst:
        dst.write(src.read())

project = QgsProject.instance()
check(project.read(os.path.join(moved, "minusma.qgs")), "the project opens")
layers = list(project.mapLayers().values())
check(len(layers) == 4, f"4 layers (sites and three base map layers), found {len(layers)}")
for layer in layers:
    check(layer.isValid(), f"layer '{layer.name()}' is valid ({layer.source()})")
check(project.crs().authid() == "EPSG:32630", f"project CRS EPSG:32630, found {project.crs().authid()}")

sites = [layer for layer in layers if layer.name() == "MINUSMA sites"]
check(len(sites) == 1, "one layer named 'MINUSMA sites'")
sites = sites[0]
check(sites.featureCount() == 13, f"13 sites, found {sites.featureCount()}")
temporal = sites.temporalProperties()
check(temporal.isActive(), "the sites layer's temporal properties are active")
time_range = project.timeSettings().temporalRange()
check(time_range.begin().date() == QDate(2023, 7, 1) and time_range.end().date() == QDate(2024, 11, 16),
      f"project time range 2023-07-01 .. 2024-11-16 (end excluded), found {time_range.begin().toString(Qt.ISODate)} .. {time_range.end().toString(Qt.ISODate)}")

renderer = sites.renderer()
check(renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "phase",
      f"sites coloured by phase, renderer {renderer.type()}")
check(sites.labelsEnabled(), "sites labelled")

context = QgsVectorLayerTemporalContext()
context.setLayer(sites)
for day in DATES:
    expression = temporal.createFilterString(context, frame(day))
    drawn = sorted(f["id"] for f in sites.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))
    out = tempfile.mkdtemp(prefix="minusma-asof-")
    minusma("export", "--as-of", day, "--format", "geojson", "--out", out, "--quiet", "--allow-empty")
    with open(os.path.join(out, "minusma-sites.geojson"), encoding="utf-8") as f:
        expected = sorted(feature["id"] for feature in json.load(f)["features"])
    check(drawn == expected, f"{day}: QGIS draws {len(drawn)} sites, minusma export --as-of selects {len(expected)}"
          + ("" if drawn == expected else f" (QGIS {drawn}, export {expected})"))

geojson = QgsVectorLayer(os.path.join(moved, "minusma-sites.geojson"), "geojson", "ogr")
check(geojson.isValid() and geojson.featureCount() == 13, "the GeoJSON opens with 13 features")
geojson.loadDefaultStyle()
r = geojson.renderer()
check(r.type() == "categorizedSymbol" and len(r.categories()) == 4,
      f"the GeoJSON's .qml colours it by phase ({r.type()}, {len(getattr(r, 'categories', lambda: [])())} categories)")

gpkg = QgsVectorLayer(os.path.join(moved, "minusma-sites.gpkg") + "|layername=minusma_sites", "gpkg", "ogr")
gpkg.loadDefaultStyle()
check(gpkg.isValid() and gpkg.renderer().type() == "categorizedSymbol",
      "the GeoPackage's default style (layer_styles) colours the sites by phase")
fields = {f.name(): f.type() for f in gpkg.fields()}
from qgis.PyQt.QtCore import QVariant  # noqa: E402
check(fields.get("closure_date") == QVariant.Date, "closure_date is a DATE column in QGIS")

if failures:
    print(f"{len(failures)} check(s) failed")
else:
    print("all QGIS checks passed")
sys.stdout.flush()
# PyQGIS may crash while tearing QGIS down at interpreter exit; the verdict is already known.
os._exit(1 if failures else 0)
