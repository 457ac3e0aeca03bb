package dev.iommufx.ui.graph;

import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineLayout.Tile;
import dev.iommufx.render.Palette;
import dev.iommufx.render.Pictures;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.OverviewViewModel;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import javafx.application.Platform;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * The whole machine on one canvas, laid out by its structure: at Fit a small tile per group (its state colour,
 * number and most important member), and once zoomed in a card per group with its members (semantic zoom). One
 * node however large the machine: nothing is created per device, so a server of thousands of functions costs
 * a canvas and a layout. Click a tile to select its group, right-click for its actions, double-click to see it in
 * the device graph; drag to pan, the wheel zooms about the pointer.
 */
public final class OverviewView extends Region {
    /** Zoomed in past this many pixels per unit, the tiles become cards; zoomed out below the second, tiles again. */
    static final double TO_CARDS = 1.1;
    static final double TO_TILES = 0.6;
    private static final double MIN = 0.02;
    private static final double MAX = 4;
    private final MachineViewModel machine;
    private final OverviewViewModel overview;
    private final Canvas canvas = new Canvas();
    private final FxCanvas drawing;
    /** The states' colours, read from the stylesheet at the first drawing (not while the window starts). */
    private Palette palette;
    /** The tiles of the layout drawn now by group, every folded group and bridge chain included. */
    private final java.util.Map<Integer, Tile> tilesByGroup = new java.util.HashMap<>();
    private MachineLayout indexed;
    private Detail detail = Detail.OVERVIEW;
    private double scale = 1;
    private double tx;
    private double ty;
    private boolean redrawQueued;
    /** The next redraw draws everything (a pan, a zoom, a new machine), not only changed tiles. */
    private boolean whole = true;
    private double lastX;
    private double lastY;
    private boolean dragged;
    private BiConsumer<Integer, javafx.geometry.Point2D> contextMenu = (g, at) -> { };
    private IntConsumer openInGraph = g -> { };

    public OverviewView(MachineViewModel machine) {
        this.machine = machine;
        this.overview = machine.overview();
        setId("overview");
        getStyleClass().add("overview");
        drawing = new FxCanvas(canvas.getGraphicsContext2D());
        getChildren().add(canvas);
        overview.layoutsProperty().addListener((o, was, now) -> {
            if (now == null || was == null || was.overview() != now.overview()) {
                fit(); // a new machine; the cards arriving after its tiles change nothing on screen
            }
        });
        overview.revisionProperty().addListener((o, was, now) -> requestTiles());
        machine.selectionProperty().addListener((o, was, now) -> requestRedraw());
        new OverviewGestures(this).install();
        // a device found by the search: its group's tile, readable, when the overview is what the window shows
        machine.search().onVisit(d -> {
            if (isVisible() && d != null && d.groupId() != null) {
                centreOn(d.groupId());
            }
        });
    }

    /** What a right-click on a tile does: the group's actions, at that point of the screen. */
    public void setContextMenuHandler(BiConsumer<Integer, javafx.geometry.Point2D> handler) {
        contextMenu = handler;
    }

    /** What a double-click on a tile does: the group in the device graph. */
    public void setOpenInGraph(IntConsumer handler) {
        openInGraph = handler;
    }

    @Override
    protected void layoutChildren() {
        boolean first = canvas.getWidth() == 0;
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        if (first) {
            fit();
        } else {
            requestRedraw();
        }
    }

    /** The layout drawn now: tiles or cards; null while the machine is being laid out. */
    MachineLayout drawn() {
        OverviewViewModel.Layouts l = overview.layoutsProperty().get();
        return l == null ? null : l.at(detail);
    }

    public Detail detail() {
        return detail;
    }

    public double zoom() {
        return scale;
    }

    /** The whole machine in the window, as tiles. */
    public void fit() {
        detail = Detail.OVERVIEW;
        MachineLayout l = drawn();
        if (l != null && getWidth() > 0 && getHeight() > 0) {
            scale = Math.max(MIN, Math.min(2, Math.min(getWidth() / l.width(), getHeight() / l.height())));
            tx = (getWidth() - l.width() * scale) / 2;
            ty = Math.max(0, (getHeight() - l.height() * scale) / 2);
        }
        requestRedraw();
    }

    public void zoomBy(double factor) {
        zoomBy(factor, getWidth() / 2, getHeight() / 2);
    }

    /** Zooms about a point of the view; past a threshold the tiles become cards (or cards tiles) there. */
    void zoomBy(double factor, double viewX, double viewY) {
        double next = Math.max(MIN, Math.min(MAX, scale * factor));
        double lx = (viewX - tx) / scale;
        double ly = (viewY - ty) / scale;
        tx = viewX - lx * next;
        ty = viewY - ly * next;
        scale = next;
        OverviewViewModel.Layouts both = overview.layoutsProperty().get();
        if (detail == Detail.OVERVIEW && scale >= TO_CARDS && both != null && both.cards() != null) {
            switchTo(Detail.CARDS, viewX, viewY);
        } else if (detail == Detail.CARDS && scale < TO_TILES) {
            switchTo(Detail.OVERVIEW, viewX, viewY);
        }
        requestRedraw();
    }

    void panBy(double dx, double dy) {
        tx += dx;
        ty += dy;
        requestRedraw();
    }

    /** Changes the level of detail keeping the group under (viewX, viewY) where it is on screen. */
    private void switchTo(Detail next, double viewX, double viewY) {
        Tile before = nearestTile(viewX, viewY);
        detail = next;
        Tile after = before == null ? null : tileOf(before.group());
        if (after != null) {
            tx += (before.rect().x() - after.rect().x()) * scale;
            ty += (before.rect().y() - after.rect().y()) * scale;
        }
    }

    /** Puts the group's tile in the middle of the view, zoomed in enough to read it. */
    public void centreOn(int group) {
        OverviewViewModel.Layouts both = overview.layoutsProperty().get();
        if (scale < TO_CARDS && both != null && both.cards() != null) {
            detail = Detail.CARDS;
            scale = TO_CARDS;
        }
        Tile t = tileOf(group);
        if (t != null) {
            tx = getWidth() / 2 - (t.rect().x() + t.rect().w() / 2) * scale;
            ty = getHeight() / 2 - (t.rect().y() + t.rect().h() / 2) * scale;
        }
        requestRedraw();
    }

    /** Where a point of the layout drawn now is in the view. */
    public javafx.geometry.Point2D toView(double layoutX, double layoutY) {
        return new javafx.geometry.Point2D(tx + layoutX * scale, ty + layoutY * scale);
    }

    /** The tile holding a group (folded groups and bridge chains included), or null. */
    public Tile tileOf(int group) {
        MachineLayout l = drawn();
        if (l != indexed) { // indexed once per layout: a change of state looks up only its own groups
            tilesByGroup.clear();
            if (l != null) {
                for (Tile t : l.tiles()) {
                    t.groups().forEach(g -> tilesByGroup.putIfAbsent(g, t));
                    tilesByGroup.putIfAbsent(t.group(), t);
                }
            }
            indexed = l;
        }
        return tilesByGroup.get(group);
    }

    /** The tile under a point of the view, or null. */
    Tile tileAt(double viewX, double viewY) {
        MachineLayout l = drawn();
        if (l == null) {
            return null;
        }
        double x = (viewX - tx) / scale;
        double y = (viewY - ty) / scale;
        for (Tile t : l.tiles()) {
            MachineLayout.Rect r = t.rect();
            if (x >= r.x() && x <= r.right() && y >= r.y() && y <= r.bottom()) {
                return t;
            }
        }
        return null;
    }

    private Tile nearestTile(double viewX, double viewY) {
        Tile at = tileAt(viewX, viewY);
        MachineLayout l = drawn();
        if (at != null || l == null) {
            return at;
        }
        double x = (viewX - tx) / scale;
        double y = (viewY - ty) / scale;
        Tile best = null;
        double bestD = Double.MAX_VALUE;
        for (Tile t : l.tiles()) {
            double dx = t.rect().x() + t.rect().w() / 2 - x;
            double dy = t.rect().y() + t.rect().h() / 2 - y;
            if (dx * dx + dy * dy < bestD) {
                bestD = dx * dx + dy * dy;
                best = t;
            }
        }
        return best;
    }

    void click(double viewX, double viewY, int clicks, MouseButton button) {
        Tile t = tileAt(viewX, viewY);
        if (t == null) {
            return;
        }
        overview.select(t.group());
        if (button == MouseButton.SECONDARY) {
            contextMenu.accept(t.group(), localToScreen(viewX, viewY));
        } else if (clicks == 2) {
            openInGraph.accept(t.group());
        }
    }

    /** Redraws once, at the next pulse, however many changes arrive before it. */
    void requestRedraw() {
        whole = true;
        if (!redrawQueued) {
            redrawQueued = true;
            Platform.runLater(this::redraw);
        }
    }

    /** Groups changed state: at the next pulse only their tiles are drawn again (unless all is). */
    private void requestTiles() {
        if (!redrawQueued) {
            redrawQueued = true;
            Platform.runLater(this::redraw);
        }
    }

    private void redraw() {
        redrawQueued = false;
        java.util.Set<Integer> touched = overview.takeTouched();
        if (!whole) {
            redrawTiles(touched);
            return;
        }
        whole = false;
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setTransform(1, 0, 0, 1, 0, 0);
        g.setFill(Color.web("#fbfbfa"));
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        MachineLayout l = drawn();
        if (l == null) {
            g.setFill(Color.web("#555555"));
            g.fillText(isVisible() ? "Laying the machine out…" : "", 20, 30);
            return;
        }
        g.save();
        g.translate(tx, ty);
        g.scale(scale, scale);
        drawing.view(scale, -tx / scale, -ty / scale, canvas.getWidth() / scale, canvas.getHeight() / scale);
        Pictures.drawMachine(l, palette(), drawing, overview::stateOf);
        outlineSelection(g);
        g.restore();
    }

    /** Draws the tiles of these groups again, in place: a change of state touches only its group's tile. */
    private void redrawTiles(java.util.Set<Integer> groups) {
        MachineLayout l = drawn();
        if (l == null || groups.isEmpty()) {
            return;
        }
        java.util.Set<Tile> tiles = new java.util.LinkedHashSet<>();
        for (int g : groups) {
            Tile t = tileOf(g);
            if (t != null) {
                tiles.add(t);
            }
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.save();
        g.setTransform(1, 0, 0, 1, 0, 0);
        g.translate(tx, ty);
        g.scale(scale, scale);
        drawing.view(scale, -tx / scale, -ty / scale, canvas.getWidth() / scale, canvas.getHeight() / scale);
        Pictures.drawTiles(l, palette(), drawing, overview::stateOf, tiles);
        outlineSelection(g);
        g.restore();
    }

    private Palette palette() {
        if (palette == null) {
            palette = Palette.fromStylesheet();
        }
        return palette;
    }

    private void outlineSelection(GraphicsContext g) {
        Tile selected = tileOf(overview.selectedGroup());
        if (selected != null) {
            g.setStroke(Color.BLACK);
            g.setLineDashes((double[]) null);
            g.setLineWidth(3 / scale);
            MachineLayout.Rect r = selected.rect();
            g.strokeRoundRect(r.x() - 2 / scale, r.y() - 2 / scale, r.w() + 4 / scale, r.h() + 4 / scale, 12, 12);
        }
    }

    // for the gestures
    void pressed(double x, double y) {
        lastX = x;
        lastY = y;
        dragged = false;
    }

    void dragged(double x, double y) {
        if (Math.abs(x - lastX) + Math.abs(y - lastY) > 2) {
            dragged = true;
        }
        panBy(x - lastX, y - lastY);
        lastX = x;
        lastY = y;
    }

    boolean wasDragged() {
        return dragged;
    }

    void scrolled(ScrollEvent e) {
        if (e.getDeltaY() != 0) {
            zoomBy(e.getDeltaY() > 0 ? 1.15 : 1 / 1.15, e.getX(), e.getY());
        }
    }
}
