package org.pumpcds.hooks;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * A request answered before its body was read (refused, too large, too slow) closes its connection after the answer,
 * rather than have Tomcat read ("swallow") the rest of the body on a worker thread, which a client that declares a
 * large body and then sends nothing would hold for the whole connection timeout. Requests answered on the container
 * thread are handled here; the asynchronous body reader calls {@link #closeAfterAnswer} when it refuses.
 */
public class UnreadBodyValve extends ValveBase {

    private static final String CLOSER = UnreadBodyValve.class.getName() + ".closer";

    public UnreadBodyValve() {
        super(true);
    }

    /** Makes the connection close after this request's answer, without reading what is left of its body. */
    static void closeAfterAnswer(ServletRequest request) {
        if (request.getAttribute(CLOSER) instanceof Runnable closer) {
            closer.run();
        }
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(CLOSER, (Runnable) () -> {
            try {
                response.flushBuffer(); // commit the answer first: an uncommitted one would be turned into a 500
            } catch (IOException e) {
                // the client is gone; closing is all that is left
            }
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        });
        getNext().invoke(request, response);
        if (!request.isAsyncStarted()) {
            AtomicBoolean fullyRead = new AtomicBoolean(true);
            request.getCoyoteRequest().action(ActionCode.REQUEST_BODY_FULLY_READ, fullyRead);
            if (!fullyRead.get()) {
                closeAfterAnswer(request);
            }
        }
    }
}
