#!/usr/bin/env python3
"""Opens minusma's QGIS project, GeoPackage and GeoJSON style in QGIS itself (headless, QGIS 3.22
from Debian's python3-qgis) and checks what a user would see:

* every layer of the project is valid, the sites layer's temporal properties are active, and the
  project's time range is the withdrawal;
* on 2023-08-01, 2023-11-01 and 2024-08-01 the sites the Temporal Controller draws (the layer's
  own temporal filter for that day's frame) are exactly those `minusma export --as-of` selects;
* the GeoJSON opens with its .qml (categorised by phase) and the GeoPackage with its default
  style from layer_styles;
* a user's gazetteer (Tests/Fixtures/health-centres.csv) gets its own project: no MINUSMA or
  withdrawal in its title, layer names or file, a time range computed here from the CSV itself,
  and on three days inside it QGIS draws the centres `minusma export --data ... --as-of` selects;
* a site without an opening date is drawn before 2013 too, as --as-of counts it;
* with `--name hc` (a table name QGIS would once have turned into a random layer id) the sites
  layer is in the layer tree and drawn, and its labels do not overlap (QGIS's collision
  handling, no displayAll).

Run by `make test`:  MINUSMA_BIN=.build/debug/minusma /usr/bin/python3 Tests/qgis/check_qgis_project.py
Exit status 0 when every check passes; the failures are listed otherwise.
"""
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp())

from qgis.core import (  # noqa: E402
    Qgis, QgsApplication, QgsDateTimeRange, QgsFeatureRequest, QgsMapRendererSequentialJob,
    QgsMapSettings, QgsPalLayerSettings, QgsProject, QgsVectorLayer, QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, QTime, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

BIN = os.environ.get("MINUSMA_BIN", ".build/debug/minusma")
DATES = ["2023-08-01", "2023-11-01", "2024-08-01"]
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "health-centres.csv")
FIXTURE_DATES = ["2010-06-01", "2020-01-01", "2023-06-30"]
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


def as_of_ids(day, *data):
    """The ids `minusma export --as-of day` selects."""
    out = tempfile.mkdtemp(prefix="minusma-asof-")
    minusma("export", *data, "--as-of", day, "--format", "geojson", "--name", "minusma-sites", "--out", out, "--quiet", "--allow-empty")
    with open(os.path.join(out, "minusma-sites.geojson"), encoding="utf-8") as f:
        return sorted(feature["properties"]["id"] for feature in json.load(f)["features"])


def drawn_ids(layer, day, field="id"):
    """The ids the layer's own temporal filter keeps in that day's frame."""
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    expression = layer.temporalProperties().createFilterString(context, frame(day))
    return sorted(f[field] for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))


def frame(day):
    d = QDate.fromString(day, "yyyy-MM-dd")
    return QgsDateTimeRange(QDateTime(d, QTime(0, 0), Qt.UTC), QDateTime(d.addDays(1), QTime(0, 0), Qt.UTC), True, False)


def only_project(folder):
    """The one .qgs in a folder: minusma.qgs for the built-in data, named like the GeoPackage for a user's data."""
    found = [f for f in os.listdir(folder) if f.endswith(".qgs")]
    check(len(found) == 1, "one project in %s: %s" % (folder, found))
    return os.path.join(folder, found[0])


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
check(len(layers) == 5, f"5 layers (events, sites and three base map layers), found {len(layers)}")
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

for day in DATES:
    drawn = drawn_ids(sites, day)
    expected = as_of_ids(day)
    check(drawn == expected, f"{day}: QGIS draws {len(drawn)} sites, minusma export --as-of selects {len(expected)}"
          + ("" if drawn == expected else f" (QGIS {drawn}, export {expected})"))

# ---- The events: instants that accumulate, each drawn from the frame of its day on. ----

def kidal_takeover_id():
    """The army and Wagner retaking Kidal on 14 Nov 2023, found in Data/events.csv itself."""
    events_csv = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Data", "events.csv")
    with open(events_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    found = [r for r in rows if r["site_id"] == "kidal" and r["date"] == "2023-11-14" and r["kind"] == "takeover"]
    return [r["event_id"] for r in found], {r["date"] for r in rows}


events = [layer for layer in layers if layer.name() == "MINUSMA events"]
check(len(events) == 1, "one layer named 'MINUSMA events'")
if events:
    events = events[0]
    check(events.featureCount() == 84, f"84 events, found {events.featureCount()}")
    check(events.temporalProperties().isActive(), "the events layer's temporal properties are active")
    check(events.renderer().type() == "categorizedSymbol" and events.renderer().classAttribute() == "kind",
          f"events coloured by kind, renderer {events.renderer().type()}")
    takeovers, _ = kidal_takeover_id()
    check(len(takeovers) >= 1, f"Data/events.csv has the Kidal takeover of 14 Nov 2023: {takeovers}")
    check(events.temporalProperties().accumulateFeatures(), "the events accumulate: a frame draws every event up to its day")
    # A frame draws the events of its day and of every day before: the Kidal takeover from the
    # frame of 14 Nov on (15 Nov included), and not on 1 Nov.
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Data", "events.csv"), encoding="utf-8", newline="") as f:
        event_days = {r["event_id"]: r["date"] for r in csv.DictReader(f)}
    for day in ["2023-11-01", "2023-11-14", "2023-11-15"]:
        drawn = set(drawn_ids(events, day, "event_id"))
        expected = {e for e, d in event_days.items() if d <= day}
        check(drawn == expected, f"the frame of {day} draws the {len(expected)} events up to that day, drew {len(drawn)}"
              + ("" if drawn == expected else f" (missing {sorted(expected - drawn)[:5]}, extra {sorted(drawn - expected)[:5]})"))
        check(all(t in drawn for t in takeovers) == (day >= "2023-11-14"),
              f"the frame of {day} {'draws' if day >= '2023-11-14' else 'does not draw'} the Kidal takeover {takeovers}")

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


# ---- A user's gazetteer: the health centres (opened 2005-2016, closed 2019-2023). ----

def fixture_range():
    """The range the project should have, computed from the CSV itself: from the first opening
    (or the day before the first closure, if earlier) to the day after the last date."""
    with open(FIXTURE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    day = datetime.date.fromisoformat
    openings = [day(r["opened_on"]) for r in rows if r["opened_on"]]
    closures = [day(r["closed_on"]) for r in rows if r["closed_on"]]
    one = datetime.timedelta(days=1)
    return min(openings + [min(closures) - one]), max(openings + closures) + one


def iso(qdatetime):
    return qdatetime.toString(Qt.ISODate)


def sites_layer_of(project):
    """The one point layer of a project, and its node in the layer tree (None when missing)."""
    points = [l for l in project.mapLayers().values() if l.geometryType() == 0]
    if len(points) != 1:
        return None, None
    return points[0], project.layerTreeRoot().findLayer(points[0].id())


user = tempfile.mkdtemp(prefix="minusma-qgis-user-")
minusma("qgis-project", "--data", FIXTURE, "--out", user)
project.clear()
check(project.read(only_project(user)), "the health centres' project opens")
layers = list(project.mapLayers().values())
check(len(layers) == 4 and all(layer.isValid() for layer in layers), "the health centres' 4 layers are valid")
words = [project.title()] + [layer.name() for layer in layers]
check(not any("minusma" in w.lower() or "withdrawal" in w.lower() for w in words),
      f"no MINUSMA or withdrawal in the title and layer names: {words}")
with open(only_project(user), encoding="utf-8") as f:
    text = f.read()
check("MINUSMA" not in text and "withdrawal" not in text.lower(), "no MINUSMA or withdrawal anywhere in the .qgs file")
start, end = fixture_range()
time_range = project.timeSettings().temporalRange()
check(time_range.begin().date().toPyDate() == start and time_range.end().date().toPyDate() == end,
      f"project time range {start} .. {end} (end excluded) from the CSV, found {iso(time_range.begin())} .. {iso(time_range.end())}")
centres, node = sites_layer_of(project)
check(centres is not None and centres.temporalProperties().isActive(), "the centres' temporal properties are active")
counts = []
for day in FIXTURE_DATES:
    drawn = drawn_ids(centres, day)
    expected = as_of_ids(day, "--data", FIXTURE)
    counts.append(len(drawn))
    check(drawn == expected, f"{day}: QGIS draws {len(drawn)} centres, minusma export --data --as-of selects {len(expected)}"
          + ("" if drawn == expected else f" (QGIS {drawn}, export {expected})"))
check(len(set(counts)) == len(counts), f"the three days show different numbers of centres ({counts}): the filter matters")


# A site without an opening date is open from the start of time for --as-of, so QGIS must draw it
# before 2013 too (the built-in data's mission start must not leak into a user's project).
undated = tempfile.mkdtemp(prefix="minusma-qgis-undated-")
undated_csv = os.path.join(undated, "wells.csv")
with open(undated_csv, "w", encoding="utf-8") as f:
    f.write("id,name,lat,lon,opened_on,closed_on\na,A,15,-1,,2020-01-01\nb,B,14,-2,2010-01-01,\nc,C,13,-3,2012-01-01,2019-01-01\n")
minusma("qgis-project", "--data", undated_csv, "--out", undated)
project.clear()
project.read(only_project(undated))
wells, _ = sites_layer_of(project)
for day in ["2005-06-01", "2018-12-31", "2020-01-01"]:
    drawn, expected = drawn_ids(wells, day), as_of_ids(day, "--data", undated_csv)
    check(drawn == expected, f"{day}: without opening dates, QGIS draws {drawn}, minusma export --as-of selects {expected}")


# ---- --name hc: a short table name must not lose the layer. ----

def render(project, layers, size=400):
    """Renders the layers (top first) over Mali; returns the image and the labels placed."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setExtent(project.viewSettings().defaultViewExtent() if not project.viewSettings().defaultViewExtent().isEmpty()
                       else settings.fullExtent())
    settings.setOutputSize(QSize(size, size))
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    results = job.takeLabelingResults()
    labels = results.labelsWithinRect(settings.visibleExtent()) if results else []
    return job.renderedImage(), [label for label in labels if not label.isUnplaced]


def pixels(image, color):
    rgb = QColor(color).rgb()
    return sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixel(x, y) == rgb)


def render_frame(project, layer, day, size=300):
    """Renders one layer as the Temporal Controller would for that day's frame."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(project.crs())
    # The layer's extent (the sites' box), with room for the markers at its edges.
    settings.setExtent(settings.fullExtent().buffered(100000))
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor("#ffffff"))
    settings.setIsTemporal(True)
    settings.setTemporalRange(frame(day))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


# ---- The events drawn: QGIS renders Kidal's takeover of 14 Nov 2023 in the frame of 15 Nov. ----
project.clear()
project.read(os.path.join(moved, "minusma.qgs"))
drawn_layer = [layer for layer in project.mapLayers().values() if layer.name() == "MINUSMA events"]
if drawn_layer:
    drawn_layer = drawn_layer[0]
    # The categories' list holds their symbols: keep it alive while reading one.
    categories = drawn_layer.renderer().categories()
    takeover_color = [c.symbol().color().name() for c in categories if c.value() == "takeover"][0]
    days = ["2023-11-01", "2023-11-15"]
    drawn = {day: pixels(render_frame(project, drawn_layer, day), takeover_color) for day in days}
    check(drawn["2023-11-15"] > drawn["2023-11-01"] + 20,
          f"QGIS renders one more takeover marker ({takeover_color}) on 15 Nov than on 1 Nov, Kidal's of 14 Nov: pixels {drawn}")


short = tempfile.mkdtemp(prefix="minusma-qgis-hc-")
minusma("qgis-project", "--data", FIXTURE, "--name", "hc", "--out", short)
project.clear()
check(project.read(only_project(short)), "the --name hc project opens")
hc, node = sites_layer_of(project)
check(hc is not None and hc.name() == "hc" and hc.featureCount() == 54, "the --name hc project has its sites layer 'hc' with 54 centres")
check(node is not None and node.layer() is hc and node.isVisible(), "the sites layer is in the layer tree, checked")
ids = [layer.id() for layer in project.mapLayers().values()]
check(all(len(i) > 10 for i in ids) and len(set(ids)) == len(ids), f"layer ids unique and longer than 10 characters: {ids}")
if hc is not None:
    tree_layers = project.layerTreeRoot().checkedLayers()
    symbol = hc.renderer().symbol().color().name() if hc.renderer().type() == "singleSymbol" else "#000000"
    with_sites, labels = render(project, tree_layers)
    without_sites, _ = render(project, [layer for layer in tree_layers if layer is not hc])
    drawn = pixels(with_sites, symbol) - pixels(without_sites, symbol)
    check(drawn > 54 * 10, f"the layer tree's layers draw the centres ({drawn} more pixels of {symbol} than without them)")
    s = hc.labeling().settings() if hc.labeling() else QgsPalLayerSettings()
    check(hc.labelsEnabled() and not s.displayAll and s.placement == QgsPalLayerSettings.OrderedPositionsAroundPoint
          and s.obstacleSettings().isObstacle(),
          "labels: collision handling (no displayAll), ordered positions around the point, markers as obstacles")
    rects = [label.labelRect for label in labels]
    overlaps = sum(1 for i in range(len(rects)) for j in range(i) if rects[i].intersects(rects[j]))
    check(0 < len(rects) < 53 and overlaps == 0,
          f"at Mali's scale QGIS places {len(rects)} of 53 labels, {overlaps} overlapping pairs (none expected)")

if failures:
    print(f"{len(failures)} check(s) failed")
else:
    print("all QGIS checks passed")
sys.stdout.flush()
# PyQGIS may crash while tearing QGIS down at interpreter exit; the verdict is already known.
os._exit(1 if failures else 0)
