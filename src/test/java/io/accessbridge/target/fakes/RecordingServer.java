package io.accessbridge.target.fakes;

import java.util.List;


/** An HTTP receiver that accepts everything with 200 and records it. */
public final class RecordingServer extends FakeHttpServer {

    @Override
    protected Response handle(Request request) {
        return Response.json(200, "{\"ok\":true}");
    }

    /** The requests to one path. */
    public List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

}
